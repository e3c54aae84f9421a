// Docker Hub names a repository by namespace and name (library/alpine), and lib/hub stays plain
// Node beside lib/registry: the lint allows it lib/registry and nothing else of the app.
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
