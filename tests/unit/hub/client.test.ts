// Docker Hub names a repository by namespace and name (library/alpine), and lib/hub stays plain
// Node beside lib/registry: the lint allows it lib/registry and nothing else of the app.
import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HubClient, hubRepositoryName } from '@/lib/hub/client';
import { Transport } from '@/lib/registry/transport';

describe('hubRepositoryName', () => {
  it.each([
    ['library/alpine', { namespace: 'library', repository: 'alpine' }],
    ['alpine', { namespace: 'library', repository: 'alpine' }],
    ['dotcms/dotcms-test', { namespace: 'dotcms', repository: 'dotcms-test' }],
  ])('%s → %j', (path, expected) => {
    expect(hubRepositoryName(path)).toEqual(expected);
  });

  it.each(['a/b/c', '', '/alpine', 'library/'])('%j is not a Docker Hub repository', (path) => {
    expect(() => hubRepositoryName(path)).toThrow(expect.objectContaining({ code: 'INVALID_REFERENCE' }));
  });
});

describe('HubClient.for', () => {
  it('gives the client of a registry whose API kind is hub, one per transport, and none otherwise', () => {
    const transport = new Transport({ registryApis: new Map([['docker.io', { kind: 'hub', baseUrl: new URL('https://hub.docker.com') }]]) });
    const client = HubClient.for(transport);
    expect(client?.baseUrl.href).toBe('https://hub.docker.com/');
    expect(HubClient.for(transport)).toBe(client);
    expect(HubClient.for(transport, 'ghcr.io')).toBeNull();
    expect(HubClient.for(new Transport())).toBeNull();
  });
});

describe('the lint keeps lib/hub plain Node on lib/registry', () => {
  const root = path.resolve(import.meta.dirname, '../../..');
  const eslint = new ESLint({ cwd: root });
  const errorsOf = async (code: string) => {
    const [result] = await eslint.lintText(code, { filePath: path.join(root, 'lib/hub/x.ts') });
    return result!.messages.filter((m) => m.severity === 2).map((m) => m.ruleId);
  };

  it.each([
    ['Next.js', "import { NextResponse } from 'next/server';\nexport const x = NextResponse;\n"],
    ['server-only', "import 'server-only';\nexport const x = 1;\n"],
    ['the data layer', "import { getTags } from '../data/tags';\nexport const x = getTags;\n"],
    ['the app by alias', "import { getServerConfig } from '@/lib/env';\nexport const x = getServerConfig;\n"],
  ])('importing %s is an error', async (_, code) => {
    expect(await errorsOf(code)).toContain('@typescript-eslint/no-restricted-imports');
  }, 30_000);

  it('importing lib/registry is allowed', async () => {
    expect(await errorsOf("import { LIMITS } from '../registry/limits';\nimport { Transport } from '../registry';\nexport const x = [LIMITS, Transport];\n")).toEqual([]);
  }, 30_000);
});
