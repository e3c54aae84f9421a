// The harness itself: each registry answers as a real one would, and what the seeder says it
// pushed is what a plain HTTP client reads back.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startFront, type Front } from '../support/harness/front';
import type { Truth } from '../support/harness/seed';
import { basicHeader, challengeParams, fetchToken, getManifest, sha256Hex } from '../support/http';

const harness = inject('harness');

describe('open registry', () => {
  it('answers /v2/ without credentials', async () => {
    const response = await fetch(`${harness.open.url}/v2/`);
    expect(response.status).toBe(200);
  });
});

describe('token-auth registry', () => {
  const { url, realm, service } = harness.token;

  it('challenges an anonymous request with a Bearer realm on our token server', async () => {
    const response = await fetch(`${url}/v2/public/demo/manifests/1.0`);
    expect(response.status).toBe(401);
    const params = challengeParams(response.headers.get('www-authenticate'));
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(params).toMatchObject({ realm, service, scope: 'repository:public/demo:pull' });
  });

  it('lets an anonymous token pull a public repository', async () => {
    const tokenResponse = await fetchToken(realm, service, 'public/demo');
    expect(tokenResponse.status).toBe(200);
    const { token } = (await tokenResponse.json()) as { token: string };
    const { response, digest } = await getManifest(url, 'public/demo', '1.0', `Bearer ${token}`);
    expect(response.status).toBe(200);
    expect(digest).toBe(harness.truth.tokenPublic.tags['1.0']!.digest);
  });

  it('refuses an anonymous token on a private repository', async () => {
    const { token } = (await (await fetchToken(realm, service, 'private/demo')).json()) as { token: string };
    const { response } = await getManifest(url, 'private/demo', '1.0', `Bearer ${token}`);
    expect(response.status).toBe(401);
  });

  it('lets a user with credentials pull a private repository', async () => {
    const { token } = (await (await fetchToken(realm, service, 'private/demo', harness.users.token)).json()) as { token: string };
    const { response, digest } = await getManifest(url, 'private/demo', '1.0', `Bearer ${token}`);
    expect(response.status).toBe(200);
    expect(digest).toBe(harness.truth.tokenPrivate.tags['1.0']!.digest);
  });

  it('answers a wrong password with 401 at the token server', async () => {
    const response = await fetchToken(realm, service, 'private/demo', { username: 'alice', password: 'wrong' });
    expect(response.status).toBe(401);
  });
});

describe('Basic-auth registry', () => {
  const { url } = harness.basic;

  it('challenges with Basic when no credentials are sent', async () => {
    const response = await fetch(`${url}/v2/team/app/manifests/1.0`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
  });

  it('accepts the right credentials', async () => {
    const { response, digest } = await getManifest(url, 'team/app', '1.0', basicHeader(harness.users.basic));
    expect(response.status).toBe(200);
    expect(digest).toBe(harness.truth.basic.tags['1.0']!.digest);
  });

  it('refuses a wrong password', async () => {
    const { response } = await getManifest(url, 'team/app', '1.0', basicHeader({ username: 'bob', password: 'nope' }));
    expect(response.status).toBe(401);
  });
});

describe('seeded content reads back as the truth says', () => {
  const truth: Truth = harness.truth.demo;
  const repo = truth.repository.slice(harness.open.host.length + 1);
  const base = harness.open.url;

  it('lists every tag', async () => {
    const body = (await (await fetch(`${base}/v2/${repo}/tags/list`)).json()) as { tags: string[] };
    expect(body.tags.slice().sort()).toEqual(Object.keys(truth.tags).sort());
  });

  it.each(Object.entries(truth.tags))('tag %s: digest, media type, size, platforms, image IDs', async (tag, expected) => {
    const { response, bytes, digest } = await getManifest(base, repo, tag);
    expect(response.status).toBe(200);
    expect(digest).toBe(expected.digest);
    expect(response.headers.get('docker-content-digest')).toBe(expected.digest);
    expect(response.headers.get('content-type')).toBe(expected.mediaType);
    expect(bytes.length).toBe(expected.size);

    for (const platform of expected.platforms) {
      const child = await getManifest(base, repo, platform.digest);
      expect(child.digest).toBe(platform.digest);
      const manifest = JSON.parse(Buffer.from(child.bytes).toString()) as {
        config: { digest: string };
        layers: { size: number; digest: string }[];
      };
      expect(manifest.config.digest).toBe(platform.configDigest);
      expect(manifest.layers.reduce((sum, l) => sum + l.size, 0)).toBe(platform.compressedSize);
      const config = new Uint8Array(await (await fetch(`${base}/v2/${repo}/blobs/${platform.configDigest}`)).arrayBuffer());
      expect(sha256Hex(config)).toBe(platform.configDigest);
      const parsed = JSON.parse(Buffer.from(config).toString()) as { os: string; architecture: string; variant?: string; created: string };
      expect([parsed.os, parsed.architecture, parsed.variant ?? null, parsed.created]).toEqual([
        platform.os,
        platform.architecture,
        platform.variant,
        platform.created,
      ]);
    }
  });

  it('groups the alias tags that share index bytes', () => {
    expect(truth.groups.map((g) => g.tags)).toContainEqual(['3.12', '3.12.9', '3.12.9-r0']);
  });

  it('has the diff_ids of uncompressed layers in every config', async () => {
    const platform = truth.tags['3.12']!.platforms[0]!;
    const child = await getManifest(base, repo, platform.digest);
    const manifest = JSON.parse(Buffer.from(child.bytes).toString()) as { layers: { digest: string }[] };
    const config = (await (await fetch(`${base}/v2/${repo}/blobs/${platform.configDigest}`)).json()) as {
      rootfs: { diff_ids: string[] };
    };
    const { gunzipSync } = await import('node:zlib');
    for (const [i, layer] of manifest.layers.entries()) {
      const gz = new Uint8Array(await (await fetch(`${base}/v2/${repo}/blobs/${layer.digest}`)).arrayBuffer());
      expect(sha256Hex(gz)).toBe(layer.digest);
      expect(sha256Hex(gunzipSync(gz))).toBe(config.rootfs.diff_ids[i]);
    }
  });
});

describe('front', () => {
  let front: Front;
  const repo = 'library/demo';
  beforeAll(async () => {
    front = await startFront(harness.open.url, { pageSize: 4 });
  });
  afterAll(async () => {
    await front.stop();
  });

  it('pages tags/list with n, last and a relative Link, as distribution 2.8 does not', async () => {
    const seen: string[] = [];
    let next: string | null = `/v2/${repo}/tags/list`;
    let pages = 0;
    while (next) {
      const response: Response = await fetch(new URL(next, front.url));
      const body = (await response.json()) as { tags: string[] };
      expect(body.tags.length).toBeLessThanOrEqual(4);
      seen.push(...body.tags);
      next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1] ?? null;
      pages++;
    }
    const all = Object.keys(harness.truth.demo.tags).sort();
    expect(seen).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 4));
  });

  it('honours n from the client', async () => {
    const body = (await (await fetch(`${front.url}/v2/${repo}/tags/list?n=2`)).json()) as { tags: string[] };
    expect(body.tags).toHaveLength(2);
  });

  it('can leave out Docker-Content-Digest and alter a body', async () => {
    front.options.stripDigestHeader = true;
    front.options.alterBodies.add('latest');
    try {
      const { response, digest } = await getManifest(front.url, repo, 'latest');
      expect(response.headers.get('docker-content-digest')).toBeNull();
      expect(digest).not.toBe(harness.truth.demo.tags.latest!.digest);
    } finally {
      front.options.stripDigestHeader = false;
      front.options.alterBodies.clear();
    }
  });

  it('counts requests by kind', async () => {
    front.reset();
    await fetch(`${front.url}/v2/${repo}/manifests/latest`, { method: 'HEAD', headers: { accept: 'application/vnd.oci.image.index.v1+json' } });
    await fetch(`${front.url}/v2/${repo}/tags/list`);
    expect(front.counts()).toMatchObject({ manifestHead: 1, tagPage: 1, manifestGet: 0 });
  });
});
