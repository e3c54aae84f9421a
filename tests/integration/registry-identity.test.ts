// One registry, one identity (docs/security.md "One name per registry"): every spelling of a
// registry's host — `127.1:<port>`, `2130706433:<port>`, `127.0.0.1:0<port>` — is parsed to one
// canonical name, so the aliases share one challenge, one token, one per-host limit and one
// credential.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CredentialStore, parseReference, RegistryClient, type RequestEvent } from '@/lib/registry';
import { insecureRegistries } from '../support/harness';
import { listenOnLoopback, type LoopbackServer } from '../support/ports';

const harness = inject('harness');
const insecure = insecureRegistries(harness).split(',');

/** The spellings of 127.0.0.1:<port> the URL parser folds together. */
function spellings(host: string): string[] {
  const port = host.split(':')[1]!;
  return [`127.0.0.1:${port}`, `127.1:${port}`, `2130706433:${port}`, `0x7f.1:${port}`, `127.0.0.1:0${port}`];
}

describe('the aliases of the token registry share one challenge and one token', () => {
  it('views the repository through every spelling with one 401 and one token request', async () => {
    const truth = harness.truth.tokenPublic;
    const path = truth.repository.slice(truth.repository.indexOf('/') + 1);
    const events: RequestEvent[] = [];
    const client = new RegistryClient({ insecureRegistries: insecure, onRequest: (e) => events.push(e) });
    for (const host of spellings(harness.token.host)) {
      const reference = parseReference(`${host}/${path}`);
      expect(reference.registry).toBe(harness.token.host);
      expect((await client.listTags(reference)).tags).toEqual(Object.keys(truth.tags).sort());
    }
    expect(events.filter((e) => e.status === 401)).toHaveLength(1);
    expect(events.filter((e) => e.kind === 'token')).toHaveLength(1);
    expect(new Set(events.filter((e) => e.kind !== 'token').map((e) => e.registry))).toEqual(new Set([harness.token.host]));
  });
});

describe('a credential configured under one spelling serves every spelling', () => {
  it.each(spellings(harness.basic.host))('configured as %s', async (configured) => {
    const credentials = new CredentialStore([[configured, harness.users.basic]]);
    const client = new RegistryClient({ insecureRegistries: insecure, credentials });
    for (const host of spellings(harness.basic.host)) {
      const list = await client.listTags(parseReference(`${host}/team/app`));
      expect(list.tags).toEqual(Object.keys(harness.truth.basic.tags).sort());
    }
  });
});

describe('the aliases of a registry share one per-host limit', () => {
  let listening: LoopbackServer;
  let host: string;
  let active = 0;
  let maxActive = 0;
  let requests = 0;

  beforeAll(async () => {
    const server = http.createServer((req, res) => {
      requests++;
      active++;
      maxActive = Math.max(maxActive, active);
      setTimeout(() => {
        active--;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ name: 'team/app', tags: ['1.0'] }));
      }, 40);
    });
    listening = await listenOnLoopback(server);
    host = listening.host;
  });
  afterAll(() => listening.stop());

  it('never has more requests in flight than the limit, however the host is spelled', async () => {
    const client = new RegistryClient({ insecureRegistries: [host], concurrency: 1 });
    const views = spellings(host).flatMap((spelling) => [1, 2].map(async () => client.listTags(parseReference(`${spelling}/team/app`))));
    const results = await Promise.allSettled(views);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(requests).toBe(views.length);
    expect(maxActive).toBe(1);
  });
});
