// A hostile registry for the security tests: an in-memory server on a loopback port that speaks
// just enough of the distribution API to be believed, and answers the way an attacker who can
// push (or run a registry) would — off-grammar tag and repository names, endless and oversized
// tag and catalog pages, indexes that fan out, manifests nested thousands deep, schema 1 bodies
// that claim another image's digest, answers that drip in a byte at a time. Each test programs
// what it needs; every request is logged so tests can count what the product asked for after
// it should have stopped.

import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HostileRequest {
  method: string;
  path: string;
  at: number;
}

export interface TagPage {
  /** The body as sent (a JSON string or any bytes). */
  body: string | Buffer;
  /** The `Link` header's target for the next page (relative or absolute), if any. */
  next?: string | null;
  status?: number;
}

export interface Drip {
  /** Bytes written per tick, and the pause between ticks. */
  bytes: number;
  everyMs: number;
}

interface StoredManifest {
  body: Buffer;
  contentType: string;
  /** Docker-Content-Digest as sent: the computed digest unless a test says otherwise. */
  digestHeader: string | null;
  drip: Drip | null;
}

export interface HostileRegistry {
  host: string;
  url: string;
  log: HostileRequest[];
  /** Added before every manifest and tag-list answer (a slow registry); tests may change it. */
  delayMs: number;
  /**
   * The Bearer realm a 401 names for a request without Authorization (null: no auth). Any
   * Authorization is accepted; `/token` on this server hands out a token.
   */
  realm: string | null;
  /** Serves `body` under its sha256 digest (and under `tags`); returns the digest. */
  putManifest(repository: string, body: string | Buffer | object, options?: { contentType?: string; tags?: string[]; digestHeader?: string | null; drip?: Drip; digest?: string }): string;
  /** Serves `bytes` as a blob of `repository`; returns its digest. */
  putBlob(repository: string, bytes: string | Buffer): string;
  /** A single-platform image (config blob and manifest) under `tags`; returns the manifest digest. */
  putImage(repository: string, seed: string, tags?: string[]): string;
  /** Answers tags/list of `repository` with `page(n, url)` for the n-th request (0-based). */
  setTagList(repository: string, page: (n: number, url: URL) => TagPage): void;
  /** Answers /v2/_catalog with `page(n, url)` for the n-th request (0-based); 404 until set. */
  setCatalog(page: (n: number, url: URL) => TagPage): void;
  /**
   * Repositories whose manifest requests (GET and HEAD) are never answered: a registry that
   * stalls. Tests add and delete names.
   */
  stalled: Set<string>;
  /** Stalled requests whose connection the client still holds open. */
  stalling(): number;
  /** Requests whose path contains `fragment` (all when omitted). */
  count(fragment?: string): number;
  stop(): Promise<void>;
}

export const sha256 = (bytes: string | Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

export async function startHostileRegistry(): Promise<HostileRegistry> {
  const manifests = new Map<string, Map<string, StoredManifest>>();
  const blobs = new Map<string, Buffer>();
  const tagLists = new Map<string, { page: (n: number, url: URL) => TagPage; served: number }>();
  let catalog: { page: (n: number, url: URL) => TagPage; served: number } | undefined;
  const log: HostileRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const stalled = new Set<string>();
  const stalling = new Set<http.ServerResponse>();

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://hostile');
    log.push({ method: req.method ?? 'GET', path: url.pathname + url.search, at: Date.now() });
    if (registry.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, registry.delayMs));
    if (res.destroyed) return;
    if (url.pathname === '/token') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: 'hostile-token', expires_in: 300 }));
      return;
    }
    if (registry.realm && !req.headers.authorization) {
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${registry.realm}",service="hostile"`, 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
      return;
    }
    if (url.pathname === '/v2/' || url.pathname === '/v2') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    const tagsMatch = /^\/v2\/(.+)\/tags\/list$/.exec(url.pathname);
    const list = url.pathname === '/v2/_catalog' ? catalog : tagsMatch ? tagLists.get(tagsMatch[1]!) : undefined;
    if (list) {
      const page = list.page(list.served++, url);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (page.next) headers.link = `<${page.next}>; rel="next"`;
      res.writeHead(page.status ?? 200, headers).end(page.body);
      return;
    }
    if (tagsMatch) return notFound(res, 'NAME_UNKNOWN');
    const manifestMatch = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
    if (manifestMatch && stalled.has(manifestMatch[1]!)) {
      stalling.add(res);
      res.once('close', () => stalling.delete(res));
      return;
    }
    if (manifestMatch) {
      const stored = manifests.get(manifestMatch[1]!)?.get(decodeURIComponent(manifestMatch[2]!));
      if (!stored) return notFound(res, 'MANIFEST_UNKNOWN');
      const headers: Record<string, string> = { 'content-type': stored.contentType, 'content-length': String(stored.body.length) };
      if (stored.digestHeader) headers['docker-content-digest'] = stored.digestHeader;
      res.writeHead(200, headers);
      if (req.method === 'HEAD') return void res.end();
      if (!stored.drip) return void res.end(stored.body);
      drip(res, stored.body, stored.drip);
      return;
    }
    const blobMatch = /^\/v2\/(.+)\/blobs\/([^/]+)$/.exec(url.pathname);
    const blob = blobMatch ? blobs.get(`${blobMatch[1]}@${blobMatch[2]}`) : undefined;
    if (blob) return void res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(blob.length) }).end(req.method === 'HEAD' ? undefined : blob);
    notFound(res, blobMatch ? 'BLOB_UNKNOWN' : 'UNSUPPORTED');
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const host = `127.0.0.1:${port}`;

  const registry: HostileRegistry = {
    host,
    url: `http://${host}`,
    log,
    delayMs: 0,
    realm: null,
    putManifest(repository, body, options = {}) {
      const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
      const parsed = Buffer.isBuffer(body) || typeof body === 'string' ? null : (body as { mediaType?: string });
      const digest = options.digest ?? sha256(bytes);
      const stored: StoredManifest = {
        body: bytes,
        contentType: options.contentType ?? parsed?.mediaType ?? OCI_MANIFEST,
        digestHeader: options.digestHeader === undefined ? digest : options.digestHeader,
        drip: options.drip ?? null,
      };
      const repo = manifests.get(repository) ?? new Map<string, StoredManifest>();
      manifests.set(repository, repo);
      repo.set(digest, stored);
      for (const tag of options.tags ?? []) repo.set(tag, stored);
      return digest;
    },
    putBlob(repository, bytes) {
      const buffer = Buffer.from(bytes);
      const digest = sha256(buffer);
      blobs.set(`${repository}@${digest}`, buffer);
      return digest;
    },
    putImage(repository, seed, tags = []) {
      const config = JSON.stringify({ architecture: 'amd64', os: 'linux', created: '2026-01-01T00:00:00Z', rootfs: { type: 'layers', diff_ids: [sha256(`diff ${seed}`)] } });
      const configDigest = registry.putBlob(repository, config);
      const manifest = imageManifest(seed) as { config: { digest: string; size: number } };
      manifest.config = { ...manifest.config, digest: configDigest, size: config.length };
      return registry.putManifest(repository, manifest, { tags });
    },
    setTagList(repository, page) {
      tagLists.set(repository, { page, served: 0 });
    },
    setCatalog(page) {
      catalog = { page, served: 0 };
    },
    stalled,
    stalling: () => stalling.size,
    count(fragment) {
      return fragment === undefined ? log.length : log.filter((r) => r.path.includes(fragment)).length;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return registry;
}

function notFound(res: http.ServerResponse, code: string): void {
  res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code, message: 'not found' }] }));
}

function drip(res: http.ServerResponse, body: Buffer, { bytes, everyMs }: Drip): void {
  let at = 0;
  const timer = setInterval(() => {
    if (res.destroyed || at >= body.length) {
      clearInterval(timer);
      if (!res.destroyed) res.end();
      return;
    }
    res.write(body.subarray(at, at + bytes));
    at += bytes;
  }, everyMs);
  res.once('close', () => clearInterval(timer));
}

// Builders for the documents the tests serve: a real-looking image manifest, and an index.

/** An OCI image manifest whose config and layer are named but never served (no blob GETs needed). */
export function imageManifest(seed: string): object {
  return {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(`config ${seed}`), size: 100 },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(`layer ${seed}`), size: 1000 }],
  };
}

export function indexOf(children: { digest: string; size: number; mediaType?: string; platform?: { os: string; architecture: string; variant?: string } }[]): object {
  return {
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: children.map((c) => ({ mediaType: c.mediaType ?? OCI_MANIFEST, digest: c.digest, size: c.size, ...(c.platform ? { platform: c.platform } : {}) })),
  };
}

/**
 * A tag list as Google's registries send it: `tags`, plus the `manifest` map from each digest to
 * its tags (go-containerregistry pkg/v1/google/list.go), so every tag is a tag → digest answer.
 */
export function googleTagList(name: string, entries: { tag: string; digest: string }[]): string {
  const manifest: Record<string, object> = {};
  for (const { tag, digest } of entries) {
    manifest[digest] = { imageSizeBytes: '1000', layerId: '', mediaType: OCI_MANIFEST, tag: [tag], timeCreatedMs: '1700000000000', timeUploadedMs: '1700000000000' };
  }
  return JSON.stringify({ child: [], manifest, name, tags: entries.map((e) => e.tag) });
}

/** A digest of its own for each `n` (well-formed; nothing is served under it). */
export const numberedDigest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
