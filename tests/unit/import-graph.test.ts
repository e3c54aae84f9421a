// The import graph says the design (docs/design.md "Architecture"): dependency-cruiser, with the
// rules in .dependency-cruiser.cjs, finds no cycle, configuration reaching nothing but its
// leaves, and the browser side importing only its allow-list. Each rule is also shown catching
// what it is for: files planted at the paths where they would stand, in a copy of the source, so
// the checkout itself is never written to.
import { cruise, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const TREE = ['app', 'components', 'lib', 'scripts', 'tests', 'instrumentation.ts', 'instrumentation-node.ts', 'proxy.ts'];
const CRUISE_TIMEOUT = 180_000;

/** Cruises `files` under `baseDir` with the project's rules; the rules each dependency broke. */
async function violationsOf(baseDir: string, files: string[]): Promise<IViolation[]> {
  const options = await extractDepcruiseOptions(path.join(root, '.dependency-cruiser.cjs'));
  const tsConfig = path.join(baseDir, 'tsconfig.json');
  // The rule set's own options win over the cruise's, so the copy's tsconfig goes in both.
  const ruleSetOptions = (options.ruleSet as { options?: object } | undefined)?.options;
  const ruleSet = { ...options.ruleSet, options: { ...ruleSetOptions, tsConfig: { fileName: tsConfig } } };
  // preserveSymlinks: a planted tree's node_modules is a link, and packages stay `node_modules/…`.
  const result = await cruise(files, { ...options, ruleSet, validate: true, baseDir, preserveSymlinks: true, tsConfig: { fileName: tsConfig } }, {}, { tsConfig: extractTSConfig(tsConfig) });
  if (typeof result.output === 'string') throw new Error('dependency-cruiser answered with text, not a cruise result');
  return result.output.summary.violations;
}

/**
 * A copy of the app's source in a temporary folder (node_modules a link), with `files` written
 * into it beside, or instead of, the real ones. A copy, not links: the `@/` alias resolves to
 * where a file really is, and a link would lead it back into the checkout.
 */
function plantedTree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tagscope-import-graph-'));
  for (const entry of ['app', 'components', 'lib', 'package.json']) cpSync(path.join(root, entry), path.join(dir, entry), { recursive: true });
  // dependency-cruiser reads `@/` from the working folder unless tsconfig.json names a baseUrl.
  const tsconfig = JSON.parse(readFileSync(path.join(root, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ ...tsconfig, compilerOptions: { ...tsconfig.compilerOptions, baseUrl: '.' } }));
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  for (const [file, code] of Object.entries(files)) {
    mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
    writeFileSync(path.join(dir, file), code);
  }
  return dir;
}

describe('the import graph of this tree', () => {
  it('breaks none of the rules', async () => {
    const violations = await violationsOf(root, TREE);
    expect(violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (${v.cycle.map((step) => step.name).join(' → ')})` : ''}`)).toEqual([]);
  }, CRUISE_TIMEOUT);
});

// [what is planted, file, code, the rule it breaks]
const FORBIDDEN: [string, string, string, string][] = [
  ['a component imports the history store', 'components/planted/store.tsx', "import { HistoryStore } from '@/lib/history/store';\nexport const x = HistoryStore;\n", 'browser-allow-list'],
  ['a component imports the log', 'components/planted/log.tsx', "import { getLogger } from '@/lib/server/log';\nexport const x = getLogger;\n", 'browser-allow-list'],
  ['a component imports the metrics', 'components/planted/metrics.tsx', "import { recordWebhookDelivery } from '@/lib/server/metrics';\nexport const x = recordWebhookDelivery;\n", 'browser-allow-list'],
  ['a component imports the configuration', 'components/planted/env.tsx', "import { getServerConfig } from '@/lib/server/env';\nexport const x = getServerConfig;\n", 'browser-allow-list'],
  ['a component imports the Docker Hub client', 'components/planted/hub.tsx', "import * as hub from '@/lib/hub';\nexport const x = hub;\n", 'browser-allow-list'],
  ['a component imports the Quay client', 'components/planted/quay.tsx', "import * as quay from '@/lib/quay/client';\nexport const x = quay;\n", 'browser-allow-list'],
  ['a component imports the transport by a relative path', 'components/transport.tsx', "import { Transport } from '../lib/registry/transport';\nexport const x = Transport;\n", 'browser-allow-list'],
  ['a component imports the registry index (client included)', 'components/planted/registry.tsx', "import { RegistryClient } from '@/lib/registry';\nexport const x = RegistryClient;\n", 'browser-allow-list'],
  ['a component imports a data function', 'components/planted/data.tsx', "import { getTags } from '../../lib/data/tags';\nexport const x = getTags;\n", 'browser-allow-list'],
  ['a component imports the cache', 'components/planted/cache.tsx', "import { Cache } from '@/lib/cache/cache';\nexport const x = Cache;\n", 'browser-allow-list'],
  ['a component imports a route handler', 'components/planted/route.tsx', "import { GET } from '@/app/api/v1/tags/route';\nexport const x = GET;\n", 'browser-allow-list'],
  ['a component imports a Node.js module', 'components/planted/node.tsx', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'browser-allow-list'],
  ['browser state imports the registry client by a relative path', 'lib/swr/planted.ts', "import { RegistryClient } from '../registry/client';\nexport const x = RegistryClient;\n", 'browser-allow-list'],
  ['the configuration imports the log', 'lib/server/env.ts', "import { getLogger } from './log';\nexport const getServerConfig = () => getLogger;\n", 'configuration-is-a-leaf'],
  ['the configuration reaches the history runtime through a parser', 'lib/server/env.ts', "import { parseWebhookUrl } from '../history/webhook';\nexport const getServerConfig = () => parseWebhookUrl;\n", 'configuration-is-a-leaf'],
  ['two modules import each other', 'lib/common/planted-a.ts', "import { b } from './planted-b';\nexport const a = () => b;\n", 'no-circular'],
  ['two modules import each other\'s types', 'lib/common/planted-c.ts', "import type { D } from './planted-d';\nexport type C = D | 1;\n", 'no-circular'],
];

const PLANTED_PARTNERS: Record<string, string> = {
  'lib/common/planted-b.ts': "import { a } from './planted-a';\nexport const b = () => a;\n",
  'lib/common/planted-d.ts': "import type { C } from './planted-c';\nexport type D = C | 2;\n",
};

// [what is planted, file, code]
const ALLOWED: [string, string, string][] = [
  ['a component imports shared code by alias and by a relative path', 'components/planted/shared.tsx', "import { formatBytes } from '@/lib/common/format';\nimport { referenceHref } from '../../lib/common/routes';\nexport const x = [formatBytes, referenceHref];\n"],
  ['a component imports a pure registry module', 'components/planted/reference.tsx', "import { parseReference } from '@/lib/registry/reference';\nexport const x = parseReference;\n"],
  ['a component imports a server module\'s types', 'components/planted/types.tsx', "import type { HistoryStore } from '@/lib/history/store';\nimport type { ImagePage } from '@/lib/data/image';\nexport type X = [HistoryStore, ImagePage];\n"],
  ['a component imports the API\'s response types and a package', 'components/planted/api-types.tsx', "import useSWR from 'swr';\nimport type { Group } from '@/lib/api/types';\nexport const x = useSWR;\nexport type X = Group;\n"],
  ['browser state imports a sibling and shared code', 'lib/swr/planted-ok.ts', "import { fetchJson } from './fetch-json';\nimport { parseSort } from '../common/tag-order';\nexport const x = [fetchJson, parseSort];\n"],
];

describe('the rules, each catching what it is for', () => {
  // Every planted file shares one tree, but a planted lib/server/env.ts replaces the real one,
  // so each of those gets a tree of its own.
  const replacing = (file: string) => file === 'lib/server/env.ts';
  const shared = Object.fromEntries([...FORBIDDEN, ...ALLOWED].filter(([, file]) => !replacing(file)).map(([, file, code]) => [file, code]));
  const trees: Record<string, string>[] = [{ ...shared, ...PLANTED_PARTNERS }, ...FORBIDDEN.filter(([, file]) => replacing(file)).map(([, file, code]) => ({ [file]: code }))];
  const found: { files: Record<string, string>; dir: string; violations: IViolation[] }[] = [];

  beforeAll(async () => {
    for (const files of trees) {
      const tree = { files, dir: plantedTree(files), violations: [] as IViolation[] };
      found.push(tree); // before the cruise, so afterAll removes it even if the cruise throws
      tree.violations = await violationsOf(tree.dir, Object.keys(files));
    }
  }, CRUISE_TIMEOUT);

  afterAll(() => {
    for (const { dir } of found) rmSync(dir, { recursive: true, force: true });
  });

  const rulesBrokenBy = (file: string, code: string) =>
    found.find(({ files }) => files[file] === code)!.violations.filter((v) => v.from === file).map((v) => v.rule.name);

  it.each(FORBIDDEN)('%s: an error', (_, file, code, rule) => {
    const broken = rulesBrokenBy(file, code);
    expect(broken).toContain(rule);
    // The import was understood, not merely unresolvable (which any rule on paths would flag).
    expect(broken).not.toContain('not-to-unresolvable');
  });

  it.each(ALLOWED)('%s: allowed', (_, file, code) => {
    expect(rulesBrokenBy(file, code)).toEqual([]);
  });
});
