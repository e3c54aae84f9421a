// The grouped repository view against the real registries, compared with the seeder's truth:
// every group, alias set, platform digest, image ID and compressed size; attestations apart
// from platforms; signatures folded into their subject; the event stream in order.
import { describe, expect, inject, it } from 'vitest';
import type { Group, RepositoryEvent } from '@/lib/api/types';
import { Cache } from '@/lib/cache/cache';
import { CredentialStore, parseRepository, RegistryClient, RegistryError, type RequestEvent } from '@/lib/registry';
import { RegistryService } from '@/lib/data/service';
import { getRepository } from '@/lib/data/repository';
import { parseSort } from '@/lib/common/tag-order';
import { insecureRegistries } from '../support/harness';
import type { Truth } from '../support/harness/seed';
import { comparableGroups as comparable, expectedGroups } from '../support/truth';

const harness = inject('harness');

function service(options: { credentials?: boolean; onRequest?: (e: RequestEvent) => void } = {}) {
  const client = new RegistryClient({
    insecureRegistries: insecureRegistries(harness).split(','),
    credentials: options.credentials ? CredentialStore.fromEnvironment({ REGISTRY_AUTH_FILE: harness.authFile }) : new CredentialStore(),
    onRequest: options.onRequest,
  });
  return new RegistryService(client, new Cache(60_000));
}

async function view(truth: Truth, svc = service()) {
  const events: RepositoryEvent[] = [];
  const opened = await getRepository(parseRepository(truth.repository), {}, svc);
  const result = await opened.run((event) => events.push(event));
  return { result, events };
}

describe('the demo repository view equals the truth', async () => {
  const truth = harness.truth.demo;
  const { result, events } = await view(truth);

  it('groups every tag by the digest it points at, with platforms, attestations and signatures', () => {
    expect(comparable(result.groups)).toEqual(expectedGroups(truth));
  });

  it('never lists an attestation manifest as a platform', () => {
    const attestationDigests = new Set(result.groups.flatMap((g) => g.attestations.map((a) => a.digest)));
    expect(attestationDigests.size).toBe(3);
    expect(result.groups.flatMap((g) => g.platforms).filter((p) => attestationDigests.has(p.digest))).toEqual([]);
  });

  it('folds the signature of 3.13 into its group and keeps the orphan in unattached', () => {
    const sigTags = Object.entries(truth.tags).filter(([, t]) => t.kind === 'signature');
    const group313 = result.groups.find((g) => g.tags.includes('3.13'))!;
    expect(group313.signatures.map((s) => s.tag)).toEqual([`${group313.digest.replace(':', '-')}.sig`]);
    expect(result.unattached).toEqual(
      sigTags.filter(([tag]) => !tag.startsWith(group313.digest.replace(':', '-'))).map(([tag, t]) => ({ tag, digest: t.digest })),
    );
    expect(result.groups.flatMap((g) => g.tags).filter((tag) => tag.startsWith('sha256-'))).toEqual([]);
  });

  it('has no errors', () => {
    expect(result.errors).toEqual([]);
  });

  it('streams tags first, then groups as they resolve, the last send of each group equal to the answer', () => {
    expect(events[0]).toMatchObject({ type: 'tags', repository: truth.repository });
    expect((events[0] as { tags: string[] }).tags.slice().sort()).toEqual(Object.keys(truth.tags).sort());
    const latest = new Map<string, Group>();
    for (const event of events) if (event.type === 'group') latest.set(event.group.digest, event.group);
    expect(comparable([...latest.values()])).toEqual(comparable(result.groups));
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress.at(-1)).toEqual({ type: 'progress', resolved: Object.keys(truth.tags).length, total: Object.keys(truth.tags).length });
  });

  it('orders groups newest version first by default', () => {
    expect(result.groups.slice(0, 3).map((g) => g.tags)).toEqual([
      ['latest', '3.14'], // names that are not versions first
      ['3.13', '3.13.1'],
      ['3.12', '3.12.9-r0', '3.12.9'], // semver: 3.12.9-r0 is a pre-release of 3.12.9
    ]);
  });
});

describe('request plan', () => {
  it('costs one tag page, a HEAD per tag, one GET per distinct manifest, and nothing on a warm view', async () => {
    const truth = harness.truth.demo;
    const requests: RequestEvent[] = [];
    const svc = service({ onRequest: (e) => requests.push(e) });
    await view(truth, svc);
    const count = (method: string, kind: string) => requests.filter((r) => r.method === method && r.kind === kind).length;
    const distinctManifests = new Set(
      Object.values(truth.tags).flatMap((t) => (t.kind === 'signature' ? [] : [t.digest, ...t.platforms.map((p) => p.digest)])),
    );
    const singleManifests = new Set(Object.values(truth.tags).filter((t) => t.kind === 'manifest').map((t) => t.digest));
    expect(count('GET', 'tags')).toBe(1);
    expect(count('HEAD', 'manifest')).toBe(Object.keys(truth.tags).length);
    expect(count('GET', 'manifest')).toBe(distinctManifests.size);
    expect(count('GET', 'blob')).toBe(singleManifests.size); // a single manifest's platform is in its config
    requests.length = 0;
    await view(truth, svc);
    expect(requests).toEqual([]);
  });

  it('many viewers of one repository at once cost one upstream fetch per URL', async () => {
    const requests: RequestEvent[] = [];
    const svc = service({ onRequest: (e) => requests.push(e) });
    await Promise.all(Array.from({ length: 20 }, () => view(harness.truth.demo, svc)));
    const urls = requests.map((r) => `${r.method} ${r.url}`);
    expect(new Set(urls).size).toBe(urls.length);
  });
});

describe('auth registries', () => {
  it('shows a public repository behind token auth anonymously', async () => {
    const { result } = await view(harness.truth.tokenPublic);
    expect(comparable(result.groups)).toEqual(expectedGroups(harness.truth.tokenPublic));
  });

  it('shows a private repository with the configured credentials', async () => {
    const { result } = await view(harness.truth.tokenPrivate, service({ credentials: true }));
    expect(result.groups.map((g) => g.digest).sort()).toEqual(harness.truth.tokenPrivate.groups.map((g) => g.digest).sort());
  });

  it('fails before streaming, with UNAUTHORIZED, when credentials are missing', async () => {
    const error = await getRepository(parseRepository(harness.truth.tokenPrivate.repository), {}, service()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).code).toBe('UNAUTHORIZED');
  });

  it('shows a Basic-auth repository with credentials', async () => {
    const { result } = await view(harness.truth.basic, service({ credentials: true }));
    expect(comparable(result.groups)).toEqual(expectedGroups(harness.truth.basic));
  });
});

describe('sorting the first screen', () => {
  it('takes name order when asked', async () => {
    const opened = await getRepository(parseRepository(harness.truth.demo.repository), { sort: parseSort('name')! }, service());
    const result = await opened.run();
    expect(result.groups[0]!.tags).toEqual(['3.12', '3.12.9-r0', '3.12.9']);
  });
});
