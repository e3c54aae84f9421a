import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

// The layering of docs/design.md "Architecture", checked: data flows one way, and a folder
// says which side of the server line a file runs on.
const registryIo = ['client', 'transport', 'auth', 'credentials', 'environment', 'address-policy', 'budget', 'shared-work', 'limiter'];
const serverOnly = 'No registry I/O, cache or server configuration outside the server: use the pure modules (reference, platform, media-types, errors) or a lib/swr hook.';
const browserSide = {
  paths: [
    { name: '@/lib/registry', allowTypeImports: true, message: serverOnly },
    { name: '@/lib/env', allowTypeImports: true, message: serverOnly },
  ],
  patterns: [
    {
      group: ['@/lib/data', '@/lib/data/*', '**/lib/data/*', '../data/*'],
      allowTypeImports: true,
      message: 'Components and browser state render what the page gives them: lib/data is the server-only data layer.',
    },
    { group: ['@/lib/cache/*', ...registryIo.map((name) => `@/lib/registry/${name}`)], allowTypeImports: true, message: serverOnly },
  ],
};

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
    files: ['components/**', 'lib/swr/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', browserSide] },
  },
  {
    files: ['app/**', 'components/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='fetch']",
          message: 'Pages call the data functions in lib/data, never their own API over HTTP; components get data from the page or a lib/swr hook.',
        },
      ],
    },
  },
  {
    ignores: ['.next/**', 'node_modules/**', '.data/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts'],
  },
];

export default config;
