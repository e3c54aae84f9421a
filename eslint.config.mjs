import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

// The layering of docs/design.md "Architecture", checked: data flows one way, and a folder
// says which side of the server line a file runs on. What the browser side may import, and the
// import graph's other rules, are dependency-cruiser's (.dependency-cruiser.cjs), which resolves
// paths; this file keeps lib/registry plain Node and components from fetching.
const fetchMessage = 'Pages call the data functions in lib/data, never their own API over HTTP; components get data from the page or a lib/swr hook.';

const config = [
  ...nextVitals,
  ...nextTypescript,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // lib/registry and the web API clients beside it (lib/hub, lib/quay) are plain Node; a web
    // API client builds on lib/registry (its transport, errors, limits) and on nothing else of the app.
    files: ['lib/registry/**', 'lib/hub/**', 'lib/quay/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['next', 'next/*', 'react', 'react/*', 'server-only'], message: 'lib/registry and the web API clients (lib/hub, lib/quay) are plain Node: no Next.js, React or server-only, so scripts and tests can run them.' },
            { group: ['@/*', '../*', '!../registry'], message: 'lib/registry and the web API clients import nothing of the app (lib/hub and lib/quay only lib/registry): the app builds on them, not the other way round.' },
          ],
        },
      ],
    },
  },
  {
    files: ['app/**', 'components/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='fetch']", message: fetchMessage },
        // The same function by another name: globalThis.fetch, window.fetch, self['fetch'].
        { selector: "MemberExpression[object.name=/^(globalThis|window|self)$/][property.name='fetch'][computed=false]", message: fetchMessage },
        { selector: "MemberExpression[object.name=/^(globalThis|window|self)$/][property.value='fetch']", message: fetchMessage },
      ],
    },
  },
  {
    ignores: ['.next/**', 'node_modules/**', '.data/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts'],
  },
];

export default config;
