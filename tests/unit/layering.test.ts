// The layering of docs/design.md "Architecture" is checked by the lint, not only written down:
// each forbidden import or call, linted at the path where it would stand, is an error. What the
// browser side may import is the import graph's rule (tests/unit/import-graph.test.ts).
import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function errorsOf(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.severity === 2).map((m) => m.ruleId ?? m.message);
}

describe('the lint keeps data flowing one way', () => {
  it.each([
    ['lib/registry imports Next.js', 'lib/registry/x.ts', "import { NextResponse } from 'next/server';\nexport const x = NextResponse;\n", '@typescript-eslint/no-restricted-imports'],
    ['lib/registry imports server-only', 'lib/registry/x.ts', "import 'server-only';\nexport const x = 1;\n", '@typescript-eslint/no-restricted-imports'],
    ['lib/registry imports the app', 'lib/registry/x.ts', "import { getTags } from '../data/tags';\nexport const x = getTags;\n", '@typescript-eslint/no-restricted-imports'],
    ['a page fetches its own API', 'app/r/x/page.tsx', "export default async function Page() {\n  const r = await fetch('/api/v1/tags?repository=alpine');\n  return r.status;\n}\n", 'no-restricted-syntax'],
    ['a component fetches', 'components/tags/x.tsx', "export async function load() {\n  return fetch('/api/v1/tags');\n}\n", 'no-restricted-syntax'],
    ['a component fetches through globalThis', 'components/tags/x.tsx', "export async function load() {\n  return globalThis.fetch('/api/v1/tags');\n}\n", 'no-restricted-syntax'],
    ['a component fetches through window', 'components/tags/x.tsx', "export async function load() {\n  return window.fetch('/api/v1/tags');\n}\n", 'no-restricted-syntax'],
    ['a component keeps fetch by another name', 'components/tags/x.tsx', "const get = self['fetch'];\nexport const load = () => get('/api/v1/tags');\n", 'no-restricted-syntax'],
    ['a page fetches through globalThis', 'app/r/x/page.tsx', "export default async function Page() {\n  return (await globalThis.fetch('/api/v1/tags')).status;\n}\n", 'no-restricted-syntax'],
  ])('%s: an error', async (_, file, code, rule) => {
    expect(await errorsOf(file, code)).toContain(rule);
  }, 30_000);

  it.each([
    ['a component calls a method named fetch on its own object', 'components/tags/x.tsx', "export const load = (cache: { fetch(key: string): string }) => cache.fetch('tags');\n"],
    ['a page imports a data function', 'app/r/x/page.tsx', "import { getTags } from '@/lib/data/tags';\nexport const x = getTags;\n"],
    ['lib/registry imports a sibling and a package', 'lib/registry/x.ts', "import { z } from 'zod';\nimport { LIMITS } from './limits';\nexport const x = [z, LIMITS];\n"],
  ])('%s: allowed', async (_, file, code) => {
    expect(await errorsOf(file, code)).toEqual([]);
  }, 30_000);
});

// The registry web-API clients stand beside the registry client: plain Node, importing only it.
describe.each(['hub', 'quay'])('the lint keeps lib/%s plain Node on lib/registry', (folder) => {
  const file = `lib/${folder}/x.ts`;

  it.each([
    ['Next.js', "import { NextResponse } from 'next/server';\nexport const x = NextResponse;\n"],
    ['server-only', "import 'server-only';\nexport const x = 1;\n"],
    ['the data layer', "import { getTags } from '../data/tags';\nexport const x = getTags;\n"],
    ['the history store', "import type { Move } from '../history/types';\nexport type X = Move;\n"],
    ['the app by alias', "import { getServerConfig } from '@/lib/server/env';\nexport const x = getServerConfig;\n"],
  ])('importing %s is an error', async (_, code) => {
    expect(await errorsOf(file, code)).toContain('@typescript-eslint/no-restricted-imports');
  }, 30_000);

  it('importing lib/registry is allowed', async () => {
    expect(await errorsOf(file, "import { LIMITS } from '../registry/limits';\nimport { Transport } from '../registry';\nexport const x = [LIMITS, Transport];\n")).toEqual([]);
  }, 30_000);
});
