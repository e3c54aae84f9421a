// The import graph as docs/design.md "Architecture" draws it, checked on resolved paths (so
// `@/lib/x`, `../lib/x` and `./x` are one module): no cycles, configuration a leaf, and the
// browser side importing only the modules listed here; and every import resolves. `npm run lint:graph` and
// tests/unit/import-graph.test.ts run it.

/** What components/ and lib/swr/ may import at run time: pure code both sides share. */
const BROWSER_ALLOWED = [
  '^components/',
  '^lib/swr/',
  '^lib/common/',
  '^lib/api/types\\.ts$',
  '^lib/history/(types|dates)\\.ts$',
  '^lib/registry/(reference|platform|media-types|errors)\\.ts$',
  '^node_modules/',
];

/**
 * What configuration (lib/server/env.ts) may reach: the registry library, pure shared code, and
 * the few parsers and defaults it reads, each importing nothing that imports it back. Logging,
 * metrics, caches and the history runtime read the configuration; it never reads them.
 */
const CONFIGURATION_REACHES = [
  '^lib/server/env\\.ts$',
  '^lib/registry/',
  '^lib/common/',
  '^lib/api/(origin|rate-limit)\\.ts$',
  '^lib/cache/types\\.ts$',
  '^lib/history/(database|schema|retention-policy|webhook-url)\\.ts$',
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes load order decide what a module sees (an import still undefined at first use); type-only imports count, since they say the design too.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import no one can resolve is a path the other rules cannot judge.',
      // Copied into the standalone build, where its import resolves; here it cannot.
      from: { pathNot: '^scripts/standalone-server\\.mjs$' },
      to: { couldNotResolve: true },
    },
    {
      name: 'configuration-is-a-leaf',
      severity: 'error',
      comment: 'Configuration is read at the edge and passed in: lib/server/env.ts reaches only the registry library, shared code and its own parsers and defaults.',
      from: { path: '^lib/server/env\\.ts$' },
      to: { reachable: true, path: '^(app|components|lib)/', pathNot: CONFIGURATION_REACHES },
    },
    {
      name: 'browser-allow-list',
      severity: 'error',
      comment: 'components/ and lib/swr/ run in the browser: at run time they import only the modules in BROWSER_ALLOWED (type-only imports are erased and allowed). Data comes from the page or a lib/swr hook.',
      from: { path: ['^components/', '^lib/swr/'] },
      to: { pathNot: BROWSER_ALLOWED, dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports are edges too: a cycle through a type is still a cycle in the design.
    tsPreCompilationDeps: true,
    doNotFollow: { path: '^node_modules/' },
    // Packages that declare only `exports` (no `main`), such as @tanstack/react-table, resolve too.
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    exclude: { path: '^(\\.next|node_modules|\\.data|test-results|playwright-report)/' },
  },
};
