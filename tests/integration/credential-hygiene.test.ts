// Credentials reach only their registry and its token realm: never a log line, an error
// message or an answer — checked with real wrong and right passwords against real registries,
// in the process and in the production server's JSON log at its most verbose.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { toApiError } from '@/lib/api/errors';
import { Cache } from '@/lib/cache/cache';
import { CredentialStore, parseRepository, RegistryClient } from '@/lib/registry';
import { RegistryService } from '@/lib/data/service';
import { getRepository } from '@/lib/data/repository';
import { insecureRegistries } from '../support/harness';
import { startNextServer } from '../support/next-server';

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
});
