// Credentials reach only their registry and its token realm: never a log line, an error
// message or an answer — checked with real wrong and right passwords against real registries.
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { toApiError } from '@/lib/api/errors';
import { Cache } from '@/lib/cache/cache';
import { CredentialStore, parseRepository, RegistryClient } from '@/lib/registry';
import { RegistryService } from '@/lib/data/service';
import { getRepository } from '@/lib/data/repository';
import { insecureRegistries } from '../support/harness';

const harness = inject('harness');
const SECRETS = ['alice-secret', 'bob-secret', 'hunter2-wrong', Buffer.from('alice:alice-secret').toString('base64'), Buffer.from('bob:hunter2-wrong').toString('base64')];

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
});
