// A programmable HTTP front before a test registry, on its own loopback port. It makes a real
// registry behave as other registries do: tag-list pagination with `n`, `last` and Link
// (distribution 2.8 ignores them), smaller catalog pages and Link headers that lead elsewhere,
// a missing Docker-Content-Digest (ECR, Red Hat, proxies), altered bodies (integrity tests),
// added latency and bounded concurrency (benchmarks), Docker Hub's pull limit
// (docs/docker-hub-api.md §2). It counts every request by kind so tests can assert request
// plans.

import http from 'node:http';
import { listenOnLoopback } from '../ports';

export interface FrontOptions {
  /**
   * Serve tags/list in pages of this size (default page when no `n`), with Link headers; and
   * _catalog, which the registry pages itself, with `n` lowered to this size.
   */
  pageSize: number | null;
  /** Answer relative (distribution) or absolute Link URLs, or point Link at another host (tags/list and _catalog). */
  linkStyle: 'relative' | 'absolute' | 'foreign';
  /** Leave Docker-Content-Digest out of manifest answers. */
  stripDigestHeader: boolean;
  /** Manifest references (tag or digest) whose GET body is altered by one byte. */
  alterBodies: Set<string>;
  /** Added before every answer. */
  delayMs: number;
  /** Upstream requests in flight at once; more wait in line (null: no limit). */
  maxInFlight: number | null;
  /** Answer blob GETs with 307 to this origin (as S3-backed registries do). */
  redirectBlobsTo: string | null;
  /** Sent upstream when the client sent no Authorization (a presigned-URL store). */
  upstreamAuthorization: string | null;
  /** Random faults, from a seeded generator so a run can be repeated. */
  faults: Faults | null;
  /** Answers a request itself when it returns an answer (fault and error tests). */
  intercept: ((request: { method: string; path: string; kind: RequestKind }) => InterceptAnswer | null) | null;
  /**
   * Docker Hub's pull limit: a manifest GET the registry answers 2xx spends one pull, a HEAD
   * none; both carry the ratelimit headers; a GET with no pull left answers 429.
   */
  pullLimit: PullLimit | null;
}

export interface PullLimit {
  limit: number;
  /** The sliding window, in seconds (Hub: 21600, six hours). */
  windowSeconds: number;
}

/** Hub's answer to a pull past the limit, on the wire (hiero-ledger/solo#4784). */
export const TOO_MANY_PULLS = {
  errors: [
    {
      code: 'TOOMANYREQUESTS',
      message: 'You have reached your unauthenticated pull rate limit. https://www.docker.com/increase-rate-limit',
    },
  ],
};

export interface Faults {
  seed: number;
  /** Share of answers replaced by a 500. */
  errorRate: number;
  /** Share of connections reset before answering. */
  resetRate: number;
  /** Share of answers stalled for stallMs first. */
  stallRate: number;
  stallMs: number;
  /** Share of GET answers cut off halfway through the body. */
  truncateRate: number;
}

/** mulberry32: a small seeded PRNG, so a fault run can be reproduced. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface InterceptAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export type RequestKind = 'tagPage' | 'catalogPage' | 'manifestHead' | 'manifestGet' | 'blobHead' | 'blobGet' | 'other';

export interface FrontRecord {
  method: string;
  path: string;
  kind: RequestKind;
  status: number;
  authorization: boolean;
}

export interface Front {
  host: string;
  url: string;
  options: FrontOptions;
  log: FrontRecord[];
  counts(): Record<RequestKind, number>;
  /** Manifest GETs that spent a pull (pullLimit) since the start or reset(). */
  pulls(): number;
  /** Clears the log and the pulls spent. */
  reset(): void;
  stop(): Promise<void>;
}

function classify(method: string, pathname: string): RequestKind {
  if (/\/tags\/list$/.test(pathname)) return 'tagPage';
  if (pathname === '/v2/_catalog') return 'catalogPage';
  if (/\/manifests\/[^/]+$/.test(pathname)) return method === 'HEAD' ? 'manifestHead' : 'manifestGet';
  if (/\/blobs\/sha256:[^/]+$/.test(pathname)) return method === 'HEAD' ? 'blobHead' : 'blobGet';
  return 'other';
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host', 'content-encoding']);

export async function startFront(upstream: string, initial: Partial<FrontOptions> = {}): Promise<Front> {
  const options: FrontOptions = {
    pageSize: null,
    linkStyle: 'relative',
    stripDigestHeader: false,
    alterBodies: new Set(),
    delayMs: 0,
    maxInFlight: null,
    redirectBlobsTo: null,
    upstreamAuthorization: null,
    faults: null,
    intercept: null,
    pullLimit: null,
    ...initial,
  };
  const log: FrontRecord[] = [];
  // When each counted pull happened; reserved before the upstream answers, so concurrent GETs
  // cannot overspend, and given back when it does not answer 2xx.
  let pullTimes: number[] = [];
  let pullCount = 0;
  const remainingPulls = (limit: PullLimit) => {
    const since = Date.now() - limit.windowSeconds * 1000;
    pullTimes = pullTimes.filter((t) => t > since);
    return Math.max(0, limit.limit - pullTimes.length);
  };
  const pullHeaders = (limit: PullLimit, source: string): Record<string, string> => ({
    'ratelimit-limit': `${limit.limit};w=${limit.windowSeconds}`,
    'ratelimit-remaining': `${remainingPulls(limit)};w=${limit.windowSeconds}`,
    'docker-ratelimit-source': source,
  });
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  const acquire = async () => {
    while (options.maxInFlight !== null && inFlight >= options.maxInFlight) {
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
    inFlight++;
  };
  const release = () => {
    inFlight--;
    waiting.shift()?.();
  };
  let selfUrl = '';
  /** A next-page path as the Link style says: as is, on this front, or on a metadata address. */
  const linkTarget = (next: string) =>
    options.linkStyle === 'relative' ? next : options.linkStyle === 'absolute' ? `${selfUrl}${next}` : `http://169.254.169.254${next}`;
  let roll: (() => number) | null = null;
  let rollSeed: number | null = null;
  const chance = (rate: number) => {
    if (!options.faults || rate <= 0) return false;
    if (rollSeed !== options.faults.seed) {
      rollSeed = options.faults.seed;
      roll = random(options.faults.seed);
    }
    return roll!() < rate;
  };

  const server = http.createServer(async (req, res) => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://front.local');
    const kind = classify(method, url.pathname);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || HOP_BY_HOP.has(name)) continue;
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    // A pull reserved for this GET: given back unless the registry answers 2xx.
    let pull: number | null = null;
    const giveBack = () => {
      const at = pull === null ? -1 : pullTimes.indexOf(pull);
      if (at >= 0) pullTimes.splice(at, 1);
      pull = null;
    };
    await acquire();
    try {
      if (options.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      const record = { method, path: url.pathname + url.search, kind, authorization: !!req.headers.authorization };
      const faults = options.faults;
      if (faults && kind !== 'other') {
        if (chance(faults.stallRate)) await new Promise((resolve) => setTimeout(resolve, faults.stallMs));
        if (chance(faults.resetRate)) {
          log.push({ ...record, status: 0 });
          req.socket.destroy();
          return;
        }
        if (chance(faults.errorRate)) {
          log.push({ ...record, status: 500 });
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ errors: [{ code: 'UNKNOWN', message: 'injected fault' }] }));
          return;
        }
      }
      const intercepted = options.intercept?.({ method, path: record.path, kind }) ?? null;
      if (intercepted) {
        log.push({ ...record, status: intercepted.status });
        res.writeHead(intercepted.status, intercepted.headers ?? {});
        res.end(method === 'HEAD' ? undefined : (intercepted.body ?? ''));
        return;
      }
      const pullLimit = kind === 'manifestGet' || kind === 'manifestHead' ? options.pullLimit : null;
      const source = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
      if (pullLimit && kind === 'manifestGet') {
        if (remainingPulls(pullLimit) === 0) {
          const body = JSON.stringify(TOO_MANY_PULLS);
          log.push({ ...record, status: 429 });
          res.writeHead(429, { ...pullHeaders(pullLimit, source), 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
          res.end(body);
          return;
        }
        pull = Date.now();
        pullTimes.push(pull);
      }
      if (kind === 'blobGet' && options.redirectBlobsTo) {
        log.push({ ...record, status: 307 });
        res.writeHead(307, { location: `${options.redirectBlobsTo}${url.pathname}${url.search}` });
        res.end();
        return;
      }
      if (!headers.has('authorization') && options.upstreamAuthorization) headers.set('authorization', options.upstreamAuthorization);
      const upstreamUrl = new URL(url.pathname + url.search, upstream);
      if (kind === 'tagPage' && options.pageSize !== null && method === 'GET') {
        // Ask for everything, then serve the page the client asked for.
        upstreamUrl.search = '';
      }
      if (kind === 'catalogPage' && options.pageSize !== null) {
        // distribution pages its catalog itself (n, last, Link): ask it for smaller pages.
        upstreamUrl.searchParams.set('n', String(Math.min(Number(url.searchParams.get('n') ?? options.pageSize), options.pageSize)));
      }
      const answer = await fetch(upstreamUrl, {
        method,
        headers,
        body: chunks.length > 0 && method !== 'GET' && method !== 'HEAD' ? Buffer.concat(chunks) : undefined,
        redirect: 'manual',
      });
      let body = Buffer.from(await answer.arrayBuffer());
      const outHeaders: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        if (!HOP_BY_HOP.has(name)) outHeaders[name] = value;
      });
      if (kind === 'tagPage' && options.pageSize !== null && answer.status === 200 && method === 'GET') {
        const all = ((JSON.parse(body.toString()) as { tags: string[] | null }).tags ?? []).slice().sort();
        // Like distribution's tags.maxtags: a larger n is clamped to the page size.
        const n = Math.min(Number(url.searchParams.get('n') ?? options.pageSize), options.pageSize);
        const last = url.searchParams.get('last');
        const start = last === null ? 0 : all.findIndex((t) => t > last);
        const page = start === -1 ? [] : all.slice(start, start + n);
        const name = url.pathname.replace(/^\/v2\//, '').replace(/\/tags\/list$/, '');
        body = Buffer.from(JSON.stringify({ name, tags: page }));
        const end = start === -1 ? all.length : start + n;
        if (end < all.length && page.length > 0) {
          outHeaders.link = `<${linkTarget(`/v2/${name}/tags/list?last=${encodeURIComponent(page.at(-1)!)}&n=${n}`)}>; rel="next"`;
        }
      }
      const upstreamLink = kind === 'catalogPage' ? /^<([^>]*)>/.exec(outHeaders.link ?? '')?.[1] : undefined;
      if (upstreamLink !== undefined) {
        const next = new URL(upstreamLink, upstream);
        outHeaders.link = `<${linkTarget(next.pathname + next.search)}>; rel="next"`;
      }
      if (kind === 'manifestHead' || kind === 'manifestGet') {
        if (options.stripDigestHeader) delete outHeaders['docker-content-digest'];
        const reference = url.pathname.split('/').at(-1)!;
        if (kind === 'manifestGet' && answer.status === 200 && options.alterBodies.has(decodeURIComponent(reference))) {
          body = Buffer.concat([body, Buffer.from(' ')]);
        }
        if (pull !== null && answer.ok) pullCount++;
        else giveBack();
        if (pullLimit) Object.assign(outHeaders, pullHeaders(pullLimit, source));
      }
      outHeaders['content-length'] = String(
        method === 'HEAD' ? (answer.headers.get('content-length') ?? '0') : body.length,
      );
      log.push({ ...record, status: answer.status });
      res.writeHead(answer.status, outHeaders);
      if (faults && method === 'GET' && kind !== 'other' && body.length > 1 && chance(faults.truncateRate)) {
        // Send half of what Content-Length promised, then drop the connection.
        res.write(body.subarray(0, Math.floor(body.length / 2)));
        setTimeout(() => req.socket.destroy(), 5);
        return;
      }
      res.end(method === 'HEAD' ? undefined : body);
    } catch (error) {
      giveBack();
      log.push({ method, path: url.pathname + url.search, kind, status: 502, authorization: !!req.headers.authorization });
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`front: upstream failed: ${String(error)}`);
    } finally {
      release();
    }
  });
  server.keepAliveTimeout = 5_000;
  const listening = await listenOnLoopback(server);
  selfUrl = listening.url;
  return {
    host: listening.host,
    url: selfUrl,
    options,
    log,
    counts() {
      const counts: Record<RequestKind, number> = { tagPage: 0, catalogPage: 0, manifestHead: 0, manifestGet: 0, blobHead: 0, blobGet: 0, other: 0 };
      for (const record of log) counts[record.kind]++;
      return counts;
    },
    pulls: () => pullCount,
    reset() {
      log.length = 0;
      pullTimes = [];
      pullCount = 0;
    },
    stop: listening.stop,
  };
}
