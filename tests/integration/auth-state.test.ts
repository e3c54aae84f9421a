// Auth state on real traffic: one bad 401 — a realm the address policy refuses, a realm that is
// down — must not break a registry until restart. The failed challenge is forgotten, the next
// request goes out bare and learns the realm afresh; learned challenges expire; a token that cannot
// be a header value is the token server's fault.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { CHALLENGE_LIFETIME_MS } from '@/lib/registry/auth';
import { parseReference, RegistryClient, type RequestEvent, type TransportOptions } from '@/lib/registry';
import { insecureRegistries } from '../support/harness';
import { caught } from '../support/caught';
import { startFront, type Front, type InterceptAnswer } from '../support/harness/front';

const harness = inject('harness');
const insecure = insecureRegistries(harness).split(',');
const truth = harness.truth.tokenPublic;
const path = truth.repository.slice(truth.repository.indexOf('/') + 1);

let fronts: Front[] = [];
afterEach(async () => {
  await Promise.all(fronts.map((f) => f.stop()));
  fronts = [];
});

/** A front before the token registry whose FIRST registry request is answered by `first`. */
async function frontWithFirstChallenge(first: (self: Front) => InterceptAnswer, extra: (path: string) => InterceptAnswer | null = () => null) {
  let challenged = false;
  const front: Front = await startFront(harness.token.url, {
    intercept: ({ path: requested }) => {
      if (requested.startsWith('/v2/') && !challenged) {
        challenged = true;
        return first(front);
      }
      return extra(requested);
    },
  });
  fronts.push(front);
  return front;
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const challenge = (realm: string): InterceptAnswer => ({ status: 401, headers: { 'www-authenticate': `Bearer realm="${realm}",service="elsewhere"` } });

describe('a registry whose first 401 names a realm that fails recovers on the next view', () => {
  it.each([
    ['a private address the policy refuses', async () => 'https://10.0.0.1/token', false, 'ADDRESS_NOT_ALLOWED'],
    ['a loopback port not listed as insecure', async () => 'http://127.0.0.1:9/token', false, 'ADDRESS_NOT_ALLOWED'],
    ['a listed loopback port nothing listens on', async () => `http://127.0.0.1:${await closedPort()}/token`, true, 'UNREACHABLE'],
  ])('%s', async (_, realmFor, listed, code) => {
    const realm = await realmFor();
    const front = await frontWithFirstChallenge(() => challenge(realm));
    const client = new RegistryClient({ insecureRegistries: [...insecure, front.host, ...(listed ? [new URL(realm).host] : [])] });
    const reference = parseReference(`${front.host}/${path}`);

    const error = await caught(client.listTags(reference));
    expect(error.code).toBe(code);
    // The same client, a moment later: the registry now names its real token server.
    const list = await client.listTags(reference);
    expect(list.tags).toEqual(Object.keys(truth.tags).sort());
    // The second view went out bare, got a fresh 401, and learned the working realm.
    expect(front.log.map((r) => [r.status, r.authorization])).toEqual([
      [401, false],
      [401, false],
      [200, true],
    ]);
  });

  it('a realm answering 503 is forgotten at once: the retry of the same view learns the working realm', async () => {
    const front = await frontWithFirstChallenge(
      (self) => challenge(`http://${self.host}/broken-token`),
      (requested) => (requested.startsWith('/broken-token') ? { status: 503 } : null),
    );
    const events: RequestEvent[] = [];
    const client = new RegistryClient({ insecureRegistries: [...insecure, front.host], onRequest: (e) => events.push(e) });
    const list = await client.listTags(parseReference(`${front.host}/${path}`));
    expect(list.tags).toEqual(Object.keys(truth.tags).sort());
    expect(events.filter((e) => e.kind === 'token').map((e) => [new URL(e.url).pathname, e.status])).toEqual([
      ['/broken-token', 503],
      ['/token', 200],
    ]);
  });
});

describe('a learned challenge expires and is learned again', () => {
  it(`after ${CHALLENGE_LIFETIME_MS / 60_000} minutes one request goes out bare and learns it from a fresh 401`, async () => {
    const front = await startFront(harness.token.url);
    fronts.push(front);
    let now = Date.now();
    const events: RequestEvent[] = [];
    const options: TransportOptions = { insecureRegistries: [...insecure, front.host], now: () => now, onRequest: (e) => events.push(e) };
    const client = new RegistryClient(options);
    const reference = parseReference(`${front.host}/${path}`);
    await client.listTags(reference);
    now += CHALLENGE_LIFETIME_MS - 1_000;
    await client.listTags(reference);
    now += 1_000;
    await client.listTags(reference);
    expect(front.log.map((r) => [r.status, r.authorization])).toEqual([
      [401, false],
      [200, true],
      [200, true],
      [401, false], // expired: learned again
      [200, true],
    ]);
    // The token server's 300 s token had expired too: one renewal, from the relearned realm.
    expect(events.filter((e) => e.kind === 'token')).toHaveLength(2);
  });
});

describe('a token that cannot be a header value', () => {
  it.each([
    ['CR LF', 'eyJ0.eyJ1\r\nX-Injected: yes'],
    ['LF', 'abc\ndef'],
    ['NUL', 'abc\u0000def'],
    ['a space', 'abc def'],
  ])('with %s is reported as the token server sending an unusable token, and never sent', async (_, token) => {
    let self: Front | null = null;
    const front = await startFront(harness.token.url, {
      intercept: ({ path: requested }) =>
        requested.startsWith('/token')
          ? { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, expires_in: 300 }) }
          : challenge(`http://${self!.host}/token`),
    });
    self = front;
    fronts.push(front);
    const client = new RegistryClient({ insecureRegistries: [...insecure, front.host], retries: 0 });
    const error = await caught(client.listTags(parseReference(`${front.host}/${path}`)));
    expect(error.code).toBe('UPSTREAM');
    expect(error.message).toBe(`the token server of ${front.host} sent a token that cannot be used in an Authorization header`);
    expect(front.log.filter((r) => r.authorization)).toEqual([]);
  });
});
