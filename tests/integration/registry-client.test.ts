// lib/registry against real distribution registries: what it resolves must equal what the
// seeder pushed (the truth), through token auth, Basic auth, pagination, redirects, a registry
// that omits Docker-Content-Digest and one whose bodies do not match their digests.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  CredentialStore,
  parseReference,
  RegistryClient,
  type RequestEvent,
  type TransportOptions,
} from '@/lib/registry';
import { insecureRegistries } from '../support/harness';
import { caught } from '../support/caught';
import { startFront, type Front } from '../support/harness/front';
import { Pusher } from '../support/harness/pusher';
import { startRegistry, type RegistryProcess } from '../support/harness/registry-process';
import { seedSmallRepository, type Truth } from '../support/harness/seed';
import { startTokenServer, TOKEN_ISSUER, TOKEN_SERVICE, type TokenServer } from '../support/harness/token-server';
import { basicHeader } from '../support/http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const harness = inject('harness');
const insecure = insecureRegistries(harness).split(',');
const withCredentials = () => CredentialStore.fromEnvironment({ REGISTRY_AUTH_FILE: harness.authFile });

function client(options: TransportOptions = {}, extraInsecure: string[] = []) {
  return new RegistryClient({ insecureRegistries: [...insecure, ...extraInsecure], ...options });
}


/** The truth for a tag, in the shape the client resolves it. */
function expectedImage(truth: Truth, tag: string) {
  const t = truth.tags[tag]!;
  return {
    digest: t.digest,
    mediaType: t.mediaType,
    size: t.size,
    platforms: t.platforms.map((p) => ({
      platform: p.platform,
      digest: p.digest,
      mediaType: p.mediaType,
      size: p.size,
      compressedSize: p.compressedSize,
      configDigest: p.configDigest,
    })),
    attestations: t.attestations.map((a) => ({ digest: a.digest, for: a.for, type: 'attestation-manifest' })),
  };
}

describe('resolve: every tag of the demo repository equals the truth', () => {
  const truth = harness.truth.demo;
  const registryClient = client();
  const imageTags = Object.entries(truth.tags).filter(([, t]) => t.kind === 'index' || t.kind === 'manifest');

  it.each(imageTags.map(([tag]) => tag))('%s', async (tag) => {
    const resolved = await registryClient.resolve(parseReference(`${truth.repository}:${tag}`));
    const expected = expectedImage(truth, tag);
    expect({
      digest: resolved.digest,
      mediaType: resolved.mediaType,
      size: resolved.size,
      platforms: resolved.platforms.map(({ platform, digest, mediaType, size, compressedSize, configDigest }) => ({
        platform,
        digest,
        mediaType,
        size,
        compressedSize,
        configDigest,
      })),
      attestations: resolved.attestations,
    }).toEqual(expected);
    expect(resolved.errors).toEqual([]);
  });

  it('resolves by digest as by tag', async () => {
    const digest = truth.tags['3.12']!.digest;
    const resolved = await registryClient.resolve(parseReference(`${truth.repository}@${digest}`));
    expect(resolved.digest).toBe(digest);
    expect(resolved.platforms).toHaveLength(7);
  });

  it('follows an index nested in an index, listing every platform once', async () => {
    const nested = harness.truth.nested;
    const resolved = await registryClient.resolve(parseReference(`${nested.repository}:outer`));
    expect(resolved.digest).toBe(nested.tags.outer!.digest);
    const byDigest = (a: { digest: string }, b: { digest: string }) => a.digest.localeCompare(b.digest);
    expect(resolved.platforms.map(({ platform, digest, configDigest }) => ({ platform, digest, configDigest })).sort(byDigest)).toEqual(
      nested.tags.outer!.platforms.map(({ platform, digest, configDigest }) => ({ platform, digest, configDigest })).sort(byDigest),
    );
  });

  it('reads an artifact as an artifact with its artifactType and no platforms', async () => {
    const resolved = await registryClient.resolve(parseReference(`${truth.repository}:notes`));
    expect(resolved).toMatchObject({ kind: 'artifact', artifactType: truth.tags.notes!.artifactType, platforms: [] });
  });
});

describe('tags, HEAD and GET on the open registry', () => {
  const truth = harness.truth.demo;
  const repo = parseReference(truth.repository);

  it('lists every tag, sorted, de-duplicated', async () => {
    const list = await client().listTags(repo);
    expect(list.tags).toEqual(Object.keys(truth.tags).sort());
    expect(list.truncated).toBe(false);
  });

  it('HEAD gives the digest, media type and size GET would', async () => {
    const registryClient = client();
    const head = await registryClient.headManifest(repo, '3.13');
    expect(head).toMatchObject({ digest: truth.tags['3.13']!.digest, mediaType: truth.tags['3.13']!.mediaType, size: truth.tags['3.13']!.size });
    const get = await registryClient.getManifest(repo, '3.13');
    expect(get).toMatchObject({ digest: head.digest, mediaType: head.mediaType, size: head.size, verified: true });
    expect(get.headers['docker-content-digest']).toBe(head.digest);
  });

  it('fetches a config blob by digest and verifies it', async () => {
    const platform = truth.tags['3.12']!.platforms[2]!;
    const manifest = await client().getManifest(repo, platform.digest);
    if (manifest.manifest.kind !== 'image') throw new Error('expected an image');
    const { config } = await client().getConfig(repo, manifest.manifest.config);
    expect(config).toMatchObject({ architecture: 'arm', variant: 'v7', os: 'linux', created: platform.created });
  });

  it.each([
    ['an unknown tag', `${truth.repository}:no-such-tag`, 'MANIFEST_UNKNOWN'],
    ['an unknown digest', `${truth.repository}@sha256:${'f'.repeat(64)}`, 'MANIFEST_UNKNOWN'],
  ])('%s is %s', async (_, reference, code) => {
    expect((await caught(client().resolve(parseReference(reference)))).code).toBe(code);
  });

  it('an unknown repository is NAME_UNKNOWN on tags/list', async () => {
    const error = await caught(client().listTags(parseReference(`${harness.open.host}/library/nothing-here`)));
    expect(error.code).toBe('NAME_UNKNOWN');
    expect(error.message).toContain('library/nothing-here');
  });

  it('refuses a loopback registry not listed as insecure, and says how to allow it', async () => {
    const error = await caught(new RegistryClient().listTags(repo));
    expect(error.code).toBe('ADDRESS_NOT_ALLOWED');
    expect(error.message).toContain('TAGSCOPE_INSECURE_REGISTRIES');
  });

  it('reports a registry that is not there as UNREACHABLE', async () => {
    const error = await caught(client({}, ['127.0.0.1:1']).listTags(parseReference('127.0.0.1:1/x')));
    expect(error.code).toBe('UNREACHABLE');
  });
});

describe('token auth', () => {
  const { host } = harness.token;

  it('pulls a public repository anonymously with one token for the whole view', async () => {
    const events: RequestEvent[] = [];
    const registryClient = client({ onRequest: (e) => events.push(e) });
    const truth = harness.truth.tokenPublic;
    const repo = parseReference(truth.repository);
    const list = await registryClient.listTags(repo);
    expect(list.tags).toEqual(Object.keys(truth.tags).sort());
    const resolved = await registryClient.resolve(parseReference(`${truth.repository}:1.0`));
    expect(resolved.digest).toBe(truth.tags['1.0']!.digest);
    // One 401 to learn the challenge, one token, then every request authenticated up front.
    expect(events.filter((e) => e.kind === 'token')).toHaveLength(1);
    expect(events.filter((e) => e.status === 401)).toHaveLength(1);
  });

  it('says UNAUTHORIZED for a private repository without credentials', async () => {
    const error = await caught(client().resolve(parseReference(`${host}/private/demo:1.0`)));
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.message).toContain('private/demo');
  });

  it('pulls a private repository with credentials from REGISTRY_AUTH_FILE', async () => {
    const resolved = await client({ credentials: withCredentials() }).resolve(parseReference(`${host}/private/demo:1.0`));
    expect(resolved.digest).toBe(harness.truth.tokenPrivate.tags['1.0']!.digest);
  });

  it('says DENIED when the token server refuses the password, and never echoes it', async () => {
    const credentials = new CredentialStore([[host, { username: 'alice', password: 'hunter2-wrong' }]]);
    const error = await caught(client({ credentials }).resolve(parseReference(`${host}/private/demo:1.0`)));
    expect(error.code).toBe('DENIED');
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain('hunter2');
  });
});

describe('token server quirks', () => {
  let tokenServer: TokenServer;
  let registry: RegistryProcess;
  let dir: string;
  let truth: Truth;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tagscope-quirks-'));
    tokenServer = await startTokenServer(dir);
    registry = await startRegistry(
      { kind: 'token', realm: tokenServer.realm, service: TOKEN_SERVICE, issuer: TOKEN_ISSUER, certificatePath: tokenServer.certificatePath },
      'quirks',
    );
    truth = await seedSmallRepository(new Pusher({ url: registry.url, credentials: { username: 'admin', password: 'admin-secret' } }), registry.host, 'public/quirks');
  });
  afterAll(async () => {
    await registry?.stop();
    await tokenServer?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['access_token only, no expires_in, no issued_at', { tokenField: 'access_token', expiresIn: null, issuedAtSkewSeconds: null }],
    ['both fields, issued_at an hour in the future (clock skew)', { tokenField: 'both', expiresIn: 300, issuedAtSkewSeconds: 3600 }],
    ['issued_at a day in the past', { tokenField: 'token', expiresIn: 300, issuedAtSkewSeconds: -86_400 }],
  ] as const)('%s: the token works and is reused', async (_, quirk) => {
    Object.assign(tokenServer.options, quirk);
    const before = tokenServer.requests.length;
    const registryClient = client({}, [registry.host, new URL(tokenServer.realm).host]);
    await registryClient.listTags(parseReference(truth.repository));
    const resolved = await registryClient.resolve(parseReference(`${truth.repository}:1.0`));
    expect(resolved.digest).toBe(truth.tags['1.0']!.digest);
    // Reused: a clamped 60 s lifetime, a skewed or stale issued_at, all still cache the token.
    expect(tokenServer.requests.length - before).toBe(1);
  });

  it('renews a token before it expires', async () => {
    Object.assign(tokenServer.options, { tokenField: 'token', expiresIn: 60, issuedAtSkewSeconds: 0 });
    let now = Date.now();
    const registryClient = client({ now: () => now }, [registry.host, new URL(tokenServer.realm).host]);
    const repo = parseReference(truth.repository);
    const before = tokenServer.requests.length;
    await registryClient.listTags(repo);
    now += 45_000; // still valid: reused
    await registryClient.listTags(repo);
    expect(tokenServer.requests.length - before).toBe(1);
    now += 10_000; // 55 s: within the renewal margin of a 60 s token
    await registryClient.listTags(repo);
    expect(tokenServer.requests.length - before).toBe(2);
  });

  it('asks for repository:<repo>:pull and sends no credentials to a realm on an unrelated host', async () => {
    tokenServer.options.tokenField = 'token';
    const before = tokenServer.requests.length;
    // The registry is reached as "localhost:<port>"; its realm says 127.0.0.1 — another host.
    const localhostName = `localhost:${registry.host.split(':')[1]}`;
    const credentials = new CredentialStore([[localhostName, { username: 'alice', password: 'alice-secret' }]]);
    const registryClient = client({ credentials }, [localhostName, new URL(tokenServer.realm).host]);
    await registryClient.listTags(parseReference(`${localhostName}/public/quirks`));
    const sent = tokenServer.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ scopes: ['repository:public/quirks:pull'], sentAuthorization: false });
  });
});

describe('Basic auth', () => {
  const { host } = harness.basic;
  const truth = harness.truth.basic;

  it('says UNAUTHORIZED without credentials', async () => {
    expect((await caught(client().listTags(parseReference(truth.repository)))).code).toBe('UNAUTHORIZED');
  });

  it('pulls with credentials', async () => {
    const resolved = await client({ credentials: withCredentials() }).resolve(parseReference(`${truth.repository}:solo`));
    expect(resolved.digest).toBe(truth.tags.solo!.digest);
    expect(resolved.platforms[0]?.configDigest).toBe(truth.tags.solo!.platforms[0]!.configDigest);
  });

  it('says DENIED for a wrong password', async () => {
    const credentials = new CredentialStore([[host, { username: 'bob', password: 'wrong' }]]);
    expect((await caught(client({ credentials }).listTags(parseReference(truth.repository)))).code).toBe('DENIED');
  });
});

describe('through a front: pagination, missing digests, integrity, redirects, rate limits', () => {
  let front: Front;
  let blobStore: Front;
  const truth = harness.truth.demo;
  const repoAt = (host: string) => parseReference(`${host}/library/demo`);

  beforeAll(async () => {
    front = await startFront(harness.open.url, { pageSize: 4 });
  });
  afterAll(async () => {
    await front?.stop();
    await blobStore?.stop();
  });

  it('follows relative Link pages to the end', async () => {
    front.reset();
    const list = await client({}, [front.host]).listTags(repoAt(front.host));
    expect(list.tags).toEqual(Object.keys(truth.tags).sort());
    expect(list.pages).toBe(Math.ceil(Object.keys(truth.tags).length / 4));
    expect(front.counts().tagPage).toBe(list.pages);
  });

  it('follows absolute Link URLs on the same host', async () => {
    front.options.linkStyle = 'absolute';
    try {
      const list = await client({}, [front.host]).listTags(repoAt(front.host));
      expect(list.tags).toHaveLength(Object.keys(truth.tags).length);
    } finally {
      front.options.linkStyle = 'relative';
    }
  });

  it('refuses a Link to another host', async () => {
    front.options.linkStyle = 'foreign';
    try {
      const error = await caught(client({}, [front.host]).listTags(repoAt(front.host)));
      expect(error.code).toBe('ADDRESS_NOT_ALLOWED');
      expect(error.message).toContain('169.254.169.254');
    } finally {
      front.options.linkStyle = 'relative';
    }
  });

  it('stops at the page cap and says the list is truncated', async () => {
    const list = await client({}, [front.host]).listTags(repoAt(front.host), { maxPages: 2 });
    expect(list).toMatchObject({ truncated: true, pages: 2 });
    expect(list.tags).toHaveLength(8);
  });

  it('without Docker-Content-Digest: HEAD has no digest, GET computes it, unverified', async () => {
    front.options.stripDigestHeader = true;
    try {
      const registryClient = client({}, [front.host]);
      expect((await registryClient.headManifest(repoAt(front.host), 'latest')).digest).toBeNull();
      const get = await registryClient.getManifest(repoAt(front.host), 'latest');
      expect(get).toMatchObject({ digest: truth.tags.latest!.digest, verified: null });
      const byDigest = await registryClient.getManifest(repoAt(front.host), truth.tags.latest!.digest);
      expect(byDigest.verified).toBe(true);
    } finally {
      front.options.stripDigestHeader = false;
    }
  });

  it('a body that does not hash to its digest is DIGEST_MISMATCH, by tag and by digest', async () => {
    const digest = truth.tags['3.14']!.digest;
    front.options.alterBodies = new Set(['3.14', digest]);
    try {
      const registryClient = client({}, [front.host]);
      const byTag = await caught(registryClient.getManifest(repoAt(front.host), '3.14'));
      expect(byTag.code).toBe('DIGEST_MISMATCH');
      expect(byTag.details.expected).toBe(digest);
      expect((await caught(registryClient.getManifest(repoAt(front.host), digest))).code).toBe('DIGEST_MISMATCH');
    } finally {
      front.options.alterBodies = new Set();
    }
  });

  it('follows a blob redirect to another host without sending Authorization there', async () => {
    const basicUrl = harness.basic.url;
    blobStore = await startFront(basicUrl, { upstreamAuthorization: basicHeader(harness.users.basic) });
    const basicFront = await startFront(basicUrl, { redirectBlobsTo: blobStore.url });
    try {
      const credentials = new CredentialStore([[basicFront.host, harness.users.basic]]);
      const registryClient = client({ credentials }, [basicFront.host, blobStore.host]);
      const resolved = await registryClient.resolve(parseReference(`${basicFront.host}/team/app:solo`));
      expect(resolved.platforms[0]?.configDigest).toBe(harness.truth.basic.tags.solo!.platforms[0]!.configDigest);
      const redirected = basicFront.log.filter((r) => r.kind === 'blobGet');
      expect(redirected.map((r) => [r.status, r.authorization])).toEqual([[307, true]]);
      expect(blobStore.log.filter((r) => r.kind === 'blobGet').map((r) => r.authorization)).toEqual([false]);
    } finally {
      await basicFront.stop();
    }
  });

  it('hands the registry rate-limit numbers and Retry-After to the caller on 429', async () => {
    front.options.intercept = ({ kind }) =>
      kind === 'manifestGet'
        ? {
            status: 429,
            headers: { 'retry-after': '3600', 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '0;w=21600', 'content-type': 'application/json' },
            body: JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS', message: 'You have reached your pull rate limit.' }] }),
          }
        : null;
    try {
      const error = await caught(client({}, [front.host]).getManifest(repoAt(front.host), 'latest'));
      expect(error.code).toBe('TOOMANYREQUESTS');
      expect(error.details).toMatchObject({ status: 429, retryAfter: 3600, ratelimitLimit: 100, ratelimitRemaining: 0 });
      expect(error.details.registryErrors?.[0]?.message).toContain('pull rate limit');
    } finally {
      front.options.intercept = null;
    }
  });

  it('retries a 503 and a short 429 on idempotent requests, then succeeds', async () => {
    let failures = 0;
    front.options.intercept = ({ kind }) => {
      if (kind !== 'manifestGet' || failures >= 2) return null;
      failures++;
      return failures === 1 ? { status: 503 } : { status: 429, headers: { 'retry-after': '0' } };
    };
    try {
      const get = await client({}, [front.host]).getManifest(repoAt(front.host), 'latest');
      expect(get.digest).toBe(truth.tags.latest!.digest);
      expect(failures).toBe(2);
    } finally {
      front.options.intercept = null;
    }
  });

  it('a registry that stalls past the request timeout is TIMEOUT', async () => {
    front.options.delayMs = 1_500;
    try {
      const error = await caught(client({ requestTimeoutMs: 300, retries: 0 }, [front.host]).getManifest(repoAt(front.host), 'latest'));
      expect(error.code).toBe('TIMEOUT');
      expect(error.message).toContain('did not answer within 0.3 s');
    } finally {
      front.options.delayMs = 0;
    }
  });

  it('gives up after its retries with UPSTREAM and the status', async () => {
    front.options.intercept = ({ kind }) => (kind === 'manifestGet' ? { status: 502 } : null);
    try {
      const error = await caught(client({ retries: 1 }, [front.host]).getManifest(repoAt(front.host), 'latest'));
      expect(error).toMatchObject({ code: 'UPSTREAM', details: { status: 502 } });
    } finally {
      front.options.intercept = null;
    }
  });

  it("reads Google's digest map from tags/list when a registry sends it", async () => {
    const digest = truth.tags.latest!.digest;
    front.options.intercept = ({ kind }) =>
      kind === 'tagPage'
        ? {
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              name: 'library/demo',
              tags: ['latest', '3.14'],
              child: [],
              manifest: { [digest]: { imageSizeBytes: '1234', mediaType: truth.tags.latest!.mediaType, tag: ['3.14', 'latest'], timeCreatedMs: '1600000000000', timeUploadedMs: '1600000001000' } },
            }),
          }
        : null;
    try {
      const list = await client({}, [front.host]).listTags(repoAt(front.host));
      expect(list.tags).toEqual(['3.14', 'latest']);
      expect(list.google?.[digest]).toEqual({ tags: ['3.14', 'latest'], mediaType: truth.tags.latest!.mediaType });
    } finally {
      front.options.intercept = null;
    }
  });

  it('refuses a manifest over the size cap by its Content-Length', async () => {
    front.options.intercept = ({ kind }) =>
      kind === 'manifestGet' ? { status: 200, headers: { 'content-type': 'application/vnd.oci.image.index.v1+json' }, body: ' '.repeat(4 * 1024 * 1024 + 1) } : null;
    try {
      expect((await caught(client({}, [front.host]).getManifest(repoAt(front.host), 'latest'))).code).toBe('TOO_LARGE');
    } finally {
      front.options.intercept = null;
    }
  });
});
