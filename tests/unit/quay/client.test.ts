// Quay names a repository by exactly namespace/name; its client answers only for the `quay`
// kind of TAGSCOPE_REGISTRY_APIS, and the Docker Hub paths only for `hub`, so configuring
// Quay by default changes no view; lib/quay stays plain Node beside lib/registry.
import { describe, expect, it } from 'vitest';
import { Cache } from '@/lib/cache/cache';
import { hasRegistrySearch } from '@/lib/data/search';
import { RegistryService } from '@/lib/data/service';
import { HubClient } from '@/lib/hub';
import { QuayClient, quayRepositoryName } from '@/lib/quay';
import { parseReference, RegistryClient, Transport, type RequestEvent } from '@/lib/registry';
import { parseRegistryApis } from '@/lib/registry/environment';
import { caught } from '../../support/caught';

describe('quayRepositoryName', () => {
  it.each([
    ['prometheus/node-exporter', { namespace: 'prometheus', repository: 'node-exporter' }],
    ['konveyor/tackle2-hub', { namespace: 'konveyor', repository: 'tackle2-hub' }],
  ])('%s → %j', (path, expected) => {
    expect(quayRepositoryName(path)).toEqual(expected);
  });

  it.each(['a/b/c', 'alpine', '', '/alpine', 'library/', 'Upper/Case', 'a//b'])('%j is not a Quay repository', (path) => {
    expect(() => quayRepositoryName(path)).toThrow(expect.objectContaining({ code: 'INVALID_REFERENCE' }));
  });
});

describe('each web API client answers for its own kind only', () => {
  const apis = (kind: 'hub' | 'quay', registry = 'quay.io') => new Transport({ registryApis: new Map([[registry, { kind, baseUrl: new URL('https://api.example') }]]) });

  it('QuayClient.for: a client for kind quay, null for kind hub and for none', () => {
    expect(QuayClient.for(apis('quay'), 'quay.io')?.baseUrl.href).toBe('https://api.example/');
    expect(QuayClient.for(apis('hub', 'docker.io'), 'docker.io')).toBeNull();
    expect(QuayClient.for(apis('quay'), 'ghcr.io')).toBeNull();
    expect(QuayClient.for(new Transport(), 'quay.io')).toBeNull();
  });

  it('HubClient.for: null for a registry whose kind is quay', () => {
    expect(HubClient.for(apis('quay', 'docker.io'))).toBeNull();
    expect(HubClient.for(apis('quay'), 'quay.io')).toBeNull();
  });

  it('the default configuration: Docker Hub for docker.io, Quay for quay.io, and neither for the other', () => {
    const transport = new Transport({ registryApis: parseRegistryApis(undefined) });
    expect(HubClient.for(transport)?.baseUrl.href).toBe('https://hub.docker.com/');
    expect(QuayClient.for(transport, 'quay.io')?.baseUrl.href).toBe('https://quay.io/');
    expect(HubClient.for(transport, 'quay.io')).toBeNull();
    expect(QuayClient.for(transport, 'docker.io')).toBeNull();
  });

  it('Quay changes no view: the data layer takes no web API for quay.io, and offers no search there', () => {
    const service = new RegistryService(new RegistryClient({ registryApis: parseRegistryApis(undefined) }), new Cache(60_000));
    expect(service.webApi({ registry: 'quay.io' })).toBeNull();
    expect(service.webApi({ registry: 'docker.io' })).toBeInstanceOf(HubClient);
    expect(hasRegistrySearch('quay.io', service)).toBe(false);
    expect(hasRegistrySearch('docker.io', service)).toBe(true);
  });
});

describe('a repository Quay cannot have is refused before any request', () => {
  const client = () => {
    const events: RequestEvent[] = [];
    const transport = new Transport({ registryApis: parseRegistryApis(undefined), onRequest: (event) => events.push(event) });
    return { client: QuayClient.for(transport, 'quay.io')!, events };
  };

  it.each([
    ['a deeper path', 'org/team/app'],
    ['a deeper reference', parseReference('quay.io/org/team/app')],
    ['one level', 'app'],
    ['a repository of another registry', parseReference('ghcr.io/org/app')],
  ])('%s: INVALID_REFERENCE, nothing sent', async (_, repo) => {
    const { client: quay, events } = client();
    for (const list of [quay.listTags(repo, { onlyActive: true }), quay.tagHistory(repo)]) {
      const error = await caught(list);
      expect(error.code).toBe('INVALID_REFERENCE');
    }
    expect(events).toEqual([]);
  });

  it('says what a Quay repository is', async () => {
    const error = await caught(client().client.tagHistory('org/team/app'));
    expect(error.message).toBe('"org/team/app" is not a Quay repository: Quay names each one namespace/name, such as prometheus/node-exporter, with no deeper path');
  });
});
