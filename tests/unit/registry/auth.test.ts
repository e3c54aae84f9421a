// The Authenticator's state: a challenge is learned from a 401, used for a bounded time, and
// dropped when its realm fails, so the next 401 is learned afresh; tokens must fit in a header.
import { describe, expect, it } from 'vitest';
import { Authenticator, CHALLENGE_LIFETIME_MS, type TokenFetcher } from '@/lib/registry/auth';
import { CredentialStore } from '@/lib/registry/credentials';
import { RegistryError } from '@/lib/registry/errors';

const REGISTRY = 'registry.example';
const REQUEST_URL = new URL(`https://${REGISTRY}/v2/team/app/tags/list`);
const bearer = (realm: string) => `Bearer realm="${realm}",service="registry.example"`;
const tokenBody = (token: string) => ({ status: 200, body: Buffer.from(JSON.stringify({ token, expires_in: 3600 })) });

type Answer = { status: number; body: Buffer } | Error;

/** An Authenticator over a scripted token server that records what it was asked. */
function setup(answer: (url: URL) => Answer, options: { credentials?: CredentialStore; listedInsecure?: (url: URL) => boolean } = {}) {
  const clock = { now: 1_000_000 };
  const calls: { url: URL; headers: Record<string, string> }[] = [];
  const fetchToken: TokenFetcher = async (url, headers) => {
    calls.push({ url, headers });
    const result = answer(url);
    if (result instanceof Error) throw result;
    return result;
  };
  const auth = new Authenticator(options.credentials ?? new CredentialStore(), (registry) => registry, fetchToken, () => clock.now, options.listedInsecure);
  const challenge = (realm: string, registry = REGISTRY) => auth.onUnauthorized(registry, 'team/app', bearer(realm), REQUEST_URL, false);
  return { auth, calls, clock, challenge };
}

const failures: [string, Answer, string][] = [
  ['the address policy refuses the realm', new RegistryError('ADDRESS_NOT_ALLOWED', '10.0.0.1 is a private address'), 'ADDRESS_NOT_ALLOWED'],
  ['the realm cannot be reached', new RegistryError('UNREACHABLE', 'cannot connect'), 'UNREACHABLE'],
  ['the realm does not answer in time', new RegistryError('TIMEOUT', 'did not answer'), 'TIMEOUT'],
  ['the realm answers 503', { status: 503, body: Buffer.from('') }, 'UPSTREAM'],
  ['the realm answers 500', { status: 500, body: Buffer.from('') }, 'UPSTREAM'],
  ['the realm answers something that is not JSON', { status: 200, body: Buffer.from('<html>') }, 'UPSTREAM'],
  ['the realm answers JSON without a token', { status: 200, body: Buffer.from('{}') }, 'UPSTREAM'],
];

describe('a challenge whose realm fails is forgotten, and the next 401 is learned afresh', () => {
  it.each(failures)('%s', async (_, failure, code) => {
    const { auth, calls, challenge } = setup((url) => (url.hostname === 'bad.example' ? failure : tokenBody('good')));
    expect(challenge('https://bad.example/token')).toBe(true);
    await expect(auth.authorization(REGISTRY, 'team/app')).rejects.toMatchObject({ code });
    // Nothing is sent up front any more: the next request goes out bare and gets a fresh 401 …
    expect(await auth.authorization(REGISTRY, 'team/app')).toBeNull();
    // … which names the working realm.
    challenge('https://auth.example/token');
    expect(await auth.authorization(REGISTRY, 'team/app')).toBe('Bearer good');
    expect(calls.map((c) => c.url.hostname)).toEqual(['bad.example', 'auth.example']);
  });

  it.each([
    [401, 'UNAUTHORIZED'],
    [403, 'UNAUTHORIZED'],
  ])('keeps the realm when its token server answered %i: it works, and said no', async (status, code) => {
    const { auth, calls, challenge } = setup(() => ({ status, body: Buffer.from('') }));
    challenge('https://auth.example/token');
    await expect(auth.authorization(REGISTRY, 'team/app')).rejects.toMatchObject({ code });
    await expect(auth.authorization(REGISTRY, 'team/app')).rejects.toMatchObject({ code });
    expect(calls).toHaveLength(2);
  });

  it('forgets only the failed registry, and not a newer challenge learned meanwhile', async () => {
    const { auth, challenge } = setup((url) => (url.hostname === 'slow.example' ? new RegistryError('TIMEOUT', 'slow') : tokenBody('t')));
    challenge('https://auth.example/token', 'other.example');
    challenge('https://slow.example/token');
    const failing = auth.authorization(REGISTRY, 'team/app');
    challenge('https://auth.example/token'); // a newer 401 named another realm before the failure landed
    await expect(failing).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(await auth.authorization(REGISTRY, 'team/app')).toBe('Bearer t');
    expect(await auth.authorization('other.example', 'team/app')).toBe('Bearer t');
  });
});

describe('a learned challenge expires', () => {
  it(`is used for ${CHALLENGE_LIFETIME_MS / 60_000} minutes, then learned again; the token outlives it`, async () => {
    const { auth, calls, clock, challenge } = setup(() => tokenBody('t'));
    challenge('https://auth.example/token');
    expect(await auth.authorization(REGISTRY, 'team/app')).toBe('Bearer t');
    clock.now += CHALLENGE_LIFETIME_MS - 1;
    expect(await auth.authorization(REGISTRY, 'team/app')).toBe('Bearer t');
    clock.now += 1;
    expect(await auth.authorization(REGISTRY, 'team/app')).toBeNull();
    challenge('https://auth.example/token');
    expect(await auth.authorization(REGISTRY, 'team/app')).toBe('Bearer t');
    expect(calls).toHaveLength(1); // the same realm again: its cached token is still good
  });

  it('expires a Basic challenge the same way', async () => {
    const credentials = new CredentialStore([[REGISTRY, { username: 'u', password: 'p' }]]);
    const { auth, clock } = setup(() => tokenBody('t'), { credentials });
    expect(auth.onUnauthorized(REGISTRY, 'team/app', 'Basic realm="x"', REQUEST_URL, false)).toBe(true);
    expect(await auth.authorization(REGISTRY, 'team/app')).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    clock.now += CHALLENGE_LIFETIME_MS;
    expect(await auth.authorization(REGISTRY, 'team/app')).toBeNull();
  });

  it('remembers a bounded number of registries, forgetting the stalest first', async () => {
    const { auth, challenge } = setup(() => tokenBody('t'));
    for (let i = 0; i < 5_000; i++) challenge('https://auth.example/token', `r${i}.example`);
    expect(await auth.authorization('r0.example', 'team/app')).toBeNull();
    expect(await auth.authorization('r4999.example', 'team/app')).toBe('Bearer t');
  });
});

describe('a token must fit in an Authorization header', () => {
  const message = `the token server of ${REGISTRY} sent a token that cannot be used in an Authorization header`;
  it.each([
    ['CR LF', 'abc\r\nX-Injected: 1'],
    ['LF', 'abc\nx'],
    ['CR', 'abc\rx'],
    ['a space', 'abc def'],
    ['a tab', 'abc\tdef'],
    ['a NUL', 'abc\u0000'],
    ['DEL', 'abc\u007f'],
    ['non-ASCII', 'abcé'],
    ['a line separator', 'abc\u2028'],
    ['leading white space', ' abc'],
  ])('refuses a token with %s as UPSTREAM', async (_, token) => {
    const { auth, challenge } = setup(() => tokenBody(token));
    challenge('https://auth.example/token');
    const error = await auth.authorization(REGISTRY, 'team/app').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect(error).toMatchObject({ code: 'UPSTREAM', message });
  });

  it.each([
    ['a JWT', 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl'],
    ['base64 with padding', 'djE6b3JnL2FwcDoxNzAwMDAwMDAw=='],
    ['an OAuth access token', 'ya29.a0AfH6SMC-x_y~z+/w'],
    ['visible ASCII beyond b64token', 'abc:def'],
  ])('sends %s as it is', async (_, token) => {
    const { auth, challenge } = setup(() => tokenBody(token));
    challenge('https://auth.example/token');
    expect(await auth.authorization(REGISTRY, 'team/app')).toBe(`Bearer ${token}`);
  });
});

describe('credentials go to the realm by the realm rule, or beside the registry on a host the operator listed', () => {
  const credentials = () => new CredentialStore([['127.0.0.1:5000', { username: 'u', password: 'p' }]]);
  const listed = new Set(['127.0.0.1:5000', '127.0.0.1:9000']);
  it.each([
    ['the realm on the registry host and port', 'http://127.0.0.1:5000/token', () => false, true],
    ['a realm on another port', 'http://127.0.0.1:9000/token', () => false, false],
    ['a realm on another port, both listed insecure', 'http://127.0.0.1:9000/token', (url: URL) => listed.has(url.host), true],
    ['a realm on another port, only the realm listed', 'http://127.0.0.1:9000/token', (url: URL) => url.port === '9000', false],
    ['a realm on another listed host', 'http://127.0.0.2:9000/token', () => true, false],
  ])('%s → %s', async (_, realm, listedInsecure, sent) => {
    const { auth, calls } = setup(() => tokenBody('t'), { credentials: credentials(), listedInsecure });
    auth.onUnauthorized('127.0.0.1:5000', 'team/app', bearer(realm), new URL('http://127.0.0.1:5000/v2/'), false);
    await auth.authorization('127.0.0.1:5000', 'team/app');
    expect('authorization' in calls[0]!.headers).toBe(sent);
  });
});
