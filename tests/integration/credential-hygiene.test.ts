// Credentials reach only their registry and its token realm: never a log line, an error
// message or an answer — checked with real wrong and right passwords against real registries,
// in the process and in the production server's JSON log at its most verbose.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { toApiError } from '@/lib/api/errors';
import { Cache } from '@/lib/cache/cache';
import { CredentialStore, parseRepository, RegistryClient } from '@/lib/registry';
import { RegistryService } from '@/lib/data/service';
import { getRepository } from '@/lib/data/repository';
import { referenceHref } from '@/lib/common/routes';
import { insecureRegistries } from '../support/harness';
import { basicHeader } from '../support/http';
import { startNextServer } from '../support/next-server';
import { listenOnLoopback } from '../support/ports';

const harness = inject('harness');
const METRICS_TOKEN = 'metrics-secret-0123456789';
const SECRETS = ['alice-secret', 'bob-secret', 'hunter2-wrong', Buffer.from('alice:alice-secret').toString('base64'), Buffer.from('bob:hunter2-wrong').toString('base64'), METRICS_TOKEN];
const basicAuth = (user: { username: string; password: string }) => Buffer.from(`${user.username}:${user.password}`).toString('base64');

describe('credential hygiene', () => {
  const logged: string[] = [];
  beforeEach(() => {
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logged.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack} ${JSON.stringify(a)}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
      });
    }
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('a right and a wrong password leave no trace in logs, errors or answers', async () => {
    const outputs: string[] = [];
    const view = async (repository: string, credentials: CredentialStore) => {
      const service = new RegistryService(new RegistryClient({ insecureRegistries: insecureRegistries(harness).split(','), credentials }), new Cache(60_000));
      try {
        outputs.push(JSON.stringify(await (await getRepository(parseRepository(repository), {}, service)).run()));
      } catch (error) {
        outputs.push(JSON.stringify(toApiError(error).toJSON()), String((error as Error).stack));
      }
    };
    await view(harness.truth.tokenPrivate.repository, new CredentialStore([[harness.token.host, harness.users.token]]));
    await view(harness.truth.basic.repository, new CredentialStore([[harness.basic.host, { username: 'bob', password: 'hunter2-wrong' }]]));
    expect(outputs[0]).toContain(harness.truth.tokenPrivate.tags['1.0']!.digest);
    expect(outputs[1]).toContain('DENIED');
    for (const text of [...outputs, ...logged]) for (const secret of SECRETS) expect(text).not.toContain(secret);
  });

  it('the server\'s log at LOG_LEVEL=trace and its metrics carry no password, token or Authorization value', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tagscope-hygiene-'));
    const authFile = path.join(dir, 'config.json');
    await writeFile(
      authFile,
      JSON.stringify({ auths: { [harness.token.host]: { auth: basicAuth(harness.users.token) }, [harness.basic.host]: { auth: basicAuth({ username: 'bob', password: 'hunter2-wrong' }) } } }),
    );
    const server = await startNextServer({
      REGISTRY_AUTH_FILE: authFile,
      TAGSCOPE_INSECURE_REGISTRIES: insecureRegistries(harness),
      TAGSCOPE_CACHE_DIR: path.join(dir, 'cache'),
      TAGSCOPE_METRICS_TOKEN: METRICS_TOKEN,
      LOG_LEVEL: 'trace',
    });
    try {
      const view = (repository: string) => fetch(`${server.url}/api/v1/repository?repository=${encodeURIComponent(repository)}`);
      expect((await view(harness.truth.tokenPrivate.repository)).status).toBe(200);
      expect((await view(harness.truth.basic.repository)).status).toBe(403);
      expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer wrong-guess' } })).status).toBe(401);
      const metrics = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
      // The pipe from the server may deliver the last lines after the answers.
      const upstreamLines = () => server.output().split('\n').filter((line) => line.includes('"upstream request'));
      for (let waited = 0; upstreamLines().length < 2 && waited < 5_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(upstreamLines().length).toBeGreaterThan(1);
      for (const text of [server.output(), metrics]) for (const secret of SECRETS) expect(text).not.toContain(secret);
    } finally {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['Basic', 'basic'],
    ['a Bearer token from its token realm', 'bearer'],
  ] as const)('a registry that echoes the Authorization header and the password it got (%s) has them cut from every answer and page', async (_, scheme) => {
    const user = { username: 'carol', password: 'carol-echo-pass-4711' };
    const token = 'echo-bearer-token-0123456789abcdef';
    const registry = await startEchoingRegistry(scheme, user, token);
    const dir = await mkdtemp(path.join(tmpdir(), 'tagscope-echo-'));
    const authFile = path.join(dir, 'config.json');
    await writeFile(authFile, JSON.stringify({ auths: { [registry.host]: { auth: basicAuth(user) } } }));
    const server = await startNextServer({ REGISTRY_AUTH_FILE: authFile, TAGSCOPE_INSECURE_REGISTRIES: registry.host, TAGSCOPE_CACHE_DIR: path.join(dir, 'cache') });
    try {
      const repository = `${registry.host}/team/app`;
      const answers = await Promise.all(
        [`/api/v1/repository?repository=${encodeURIComponent(repository)}`, `/api/v1/tags?repository=${encodeURIComponent(repository)}`, referenceHref(repository)].map(async (route) => {
          const response = await fetch(`${server.url}${route}`);
          return { route, status: response.status, body: await response.text() };
        }),
      );
      expect(registry.echoed()).toBeGreaterThan(0);
      const secrets = [user.password, `${user.username}:${user.password}`, basicAuth(user), token, encodeURIComponent(user.password)];
      for (const { route, status, body } of answers) {
        if (route.startsWith('/api/')) expect(status, route).toBe(403);
        for (const secret of secrets) expect(body, route).not.toContain(secret);
      }
      // The registry's words still arrive, with the secrets cut out.
      const { error } = JSON.parse(answers[0]!.body) as { error: { details: { registryErrors: { message: string }[] } } };
      expect(error.details.registryErrors[0]!.message).toMatch(/^denied: Authorization: (Basic|Bearer) \[redacted\]; user carol, password \[redacted\], pair \[redacted\]/);
    } finally {
      await server.stop();
      await registry.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/**
 * A registry behind real credentials that, once they are right, refuses every repository with an
 * error message quoting the Authorization header it got, and the password in plain, URL-encoded
 * and base64 form. `bearer`: a token realm on the same server hands out `token` for the password.
 */
async function startEchoingRegistry(scheme: 'basic' | 'bearer', user: { username: string; password: string }, token: string) {
  let echoed = 0;
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://echo');
    const authorization = request.headers.authorization ?? '';
    const json = (status: number, body: object, headers: Record<string, string> = {}) =>
      response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    if (url.pathname === '/token') {
      return authorization === basicHeader(user) ? json(200, { token, expires_in: 300 }) : json(401, { errors: [{ code: 'UNAUTHORIZED', message: 'wrong password' }] });
    }
    const expected = scheme === 'basic' ? basicHeader(user) : `Bearer ${token}`;
    if (authorization !== expected) {
      const challenge = scheme === 'basic' ? 'Basic realm="echo"' : `Bearer realm="http://${request.headers.host}/token",service="echo"`;
      return json(401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, { 'www-authenticate': challenge });
    }
    if (url.pathname === '/v2/') return json(200, {});
    echoed++;
    const pair = `${user.username}:${user.password}`;
    const message = `denied: Authorization: ${authorization}; user ${user.username}, password ${user.password}, pair ${pair}, encoded ${encodeURIComponent(user.password)}, base64 ${Buffer.from(user.password).toString('base64')}`;
    json(403, { errors: [{ code: 'DENIED', message }, { code: `DENIED ${user.password}`, message: `credential ${authorization.split(' ')[1]}` }] });
  });
  const listening = await listenOnLoopback(server);
  return { ...listening, echoed: () => echoed };
}

