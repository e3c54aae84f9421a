// A local Quay web API (`/api/v1`) for tests: a repository's tag list (listRepoTags) with
// Quay's paging — `limit` 1–100 (default 50), `page`, `has_additional` —, `onlyActiveTags` and
// `specificTag`, rows newest start first then by name, and each tag dict field for field as
// quay/quay's `_tag_dict` writes it (docs/docker-hub-api.md §4; endpoints/api/tag.py,
// data/model/oci/tag.py). Its data is a list of tag versions — one row per stretch of a tag at
// one manifest — built from a harness registry's truth with every tag alive; history is added
// as Quay adds it, by moving a tag (its row ends, a new one starts) or deleting it (its row
// ends). Like quay.io it answers an anonymous caller 401 for a private repository and for one
// that does not exist (endpoints/exception.py `Unauthorized`). It logs every request with its
// Authorization header, and can be made to fail.

import http from 'node:http';
import { listenOnLoopback } from '../ports';
import { tagPushTimes, type Truth, type TruthTag } from './seed';

/** One row of Quay's tag table: the tag `name` at one manifest from `startTs` until `endTs`. */
export interface QuayTagVersion {
  /** Quay's row id: the last tiebreak of the order, newest row first. */
  id: number;
  name: string;
  manifestDigest: string;
  isManifestList: boolean;
  /** `manifest_layers_size`: Σ compressed layers; null for manifest lists. */
  size: number | null;
  /** Unix seconds. */
  startTs: number;
  /** Unix seconds; null while alive. A time still to come is an expiry: the row is alive until then. */
  endTs: number | null;
  /** Restored to this manifest (Quay's "revert"). */
  reversion: boolean;
}

/** What the emulator serves for one `namespace/name`; mutable while it runs. */
export interface QuayRepository {
  namespace: string;
  name: string;
  /** A private repository is answered 401 to anonymous callers, as an unknown one is. */
  visibility: 'public' | 'private';
  versions: QuayTagVersion[];
}

/** One tag dict as `_tag_dict` writes it, keys in its order. */
export interface QuayTagDict {
  name: string;
  reversion: boolean;
  start_ts?: number;
  end_ts?: number;
  manifest_digest: string;
  is_manifest_list: boolean;
  size: number | null;
  last_modified?: string;
  expiration?: string;
}

export type QuayRequestKind = 'tagList' | 'other';

export interface QuayRecord {
  method: string;
  /** Path and query as asked. */
  path: string;
  kind: QuayRequestKind;
  /** null until answered (a request is logged when it arrives); 0: the connection was dropped (a `reset` fault). */
  status: number | null;
  /** The Authorization header, when one came. */
  authorization: string | null;
}

/** An answer in place of the real one, to test failures. */
export interface QuayFault {
  /** `error`: HTTP `status` (default 500) with Quay's error body; `garbage`: 200 that is not JSON; `schema`: 200 JSON of another shape; `reset`: the connection dropped. */
  answer: 'error' | 'garbage' | 'schema' | 'reset';
  status?: number;
  /** How many answers fail before the fault clears itself (default: all). */
  times?: number;
}

export interface QuayEmulatorOptions {
  repositories: QuayRepository[];
  fault: QuayFault | null;
  /** Added before every answer. */
  delayMs: number;
}

export interface QuayEmulator {
  url: string;
  host: string;
  options: QuayEmulatorOptions;
  /** Every request, in order. */
  requests: QuayRecord[];
  /** The served data of `namespace/name`; throws when there is none. */
  repository(path: string): QuayRepository;
  /** The tag's live row, or undefined when it has none. */
  alive(path: string, tag: string): QuayTagVersion | undefined;
  /**
   * Points the tag at `digest` at `atSeconds` (default now): its live row ends then and a new
   * one starts; a tag with no live row is created. Returns the new row. The manifest's kind
   * and size are those of another row with that digest, unless given.
   */
  moveTag(path: string, tag: string, digest: string, atSeconds?: number, manifest?: Partial<Pick<QuayTagVersion, 'isManifestList' | 'size' | 'reversion'>>): QuayTagVersion;
  /** Ends the tag's live row at `atSeconds` (default now), as deleting it in Quay does; returns that row. */
  deleteTag(path: string, tag: string, atSeconds?: number): QuayTagVersion;
  /** Clears the request log. */
  reset(): void;
  stop(): Promise<void>;
}

/** Quay's paging constants (endpoints/api/tag.py listRepoTags). */
export const QUAY = { defaultLimit: 50, maxLimit: 100 } as const;

/** Quay's problem+json errors (endpoints/exception.py ApiException) by status; 5xx bodies are not quoted in any source read [inf]. */
const QUAY_ERRORS: Record<number, { type: string; description: string }> = {
  400: { type: 'invalid_request', description: 'The request was invalid.' },
  401: { type: 'invalid_token', description: 'Requires authentication' },
  403: { type: 'insufficient_scope', description: 'Unauthorized' },
  404: { type: 'not_found', description: 'Not Found' },
};

/** `email.utils.formatdate` as Quay's `format_date` calls it: `Fri, 14 Jun 2024 23:04:00 -0000`. */
export function quayDate(seconds: number): string {
  return new Date(seconds * 1000).toUTCString().replace(/ GMT$/, ' -0000');
}

/** `_tag_dict`: start and end only when > 0, last_modified with start, expiration with end. */
export function quayTagDict(version: QuayTagVersion): QuayTagDict {
  const started = version.startTs > 0;
  const ended = version.endTs !== null && version.endTs > 0;
  return {
    name: version.name,
    reversion: version.reversion,
    ...(started ? { start_ts: version.startTs } : {}),
    ...(ended ? { end_ts: version.endTs! } : {}),
    manifest_digest: version.manifestDigest,
    is_manifest_list: version.isManifestList,
    size: version.size,
    ...(started ? { last_modified: quayDate(version.startTs) } : {}),
    ...(ended ? { expiration: quayDate(version.endTs!) } : {}),
  };
}

let nextId = 1;

/** A complete row from the fields a test cares about. */
export function quayTagVersion(fields: Partial<QuayTagVersion> & Pick<QuayTagVersion, 'name' | 'manifestDigest' | 'startTs'>): QuayTagVersion {
  return { id: nextId++, isManifestList: false, size: 0, endTs: null, reversion: false, ...fields };
}

function splitPath(path: string): [string, string] {
  const [namespace, name, ...rest] = path.split('/');
  if (!namespace || !name || rest.length > 0) throw new Error(`a Quay repository is namespace/name, not ${path}`);
  return [namespace, name];
}

/** A repository from explicit rows. */
export function quayRepository(path: string, versions: QuayTagVersion[], visibility: QuayRepository['visibility'] = 'public'): QuayRepository {
  const [namespace, name] = splitPath(path);
  return { namespace, name, visibility, versions };
}

/** What Quay's manifest table says of a tag's target: a list has no layers size [inf for artifacts]. */
function manifestOf(tag: TruthTag): Pick<QuayTagVersion, 'isManifestList' | 'size'> {
  if (tag.kind === 'index') return { isManifestList: true, size: null };
  return { isManifestList: false, size: tag.platforms[0]?.compressedSize ?? tag.size };
}

/**
 * Quay's record of a harness repository: one live row per tag, started when the tag was pushed
 * (tagPushTimes, as the Hub emulator says), pointing where the registry's tag points.
 */
export function quayRepositoryFromTruth(truth: Truth, options: { path?: string; visibility?: QuayRepository['visibility'] } = {}): QuayRepository {
  const path = options.path ?? truth.repository.slice(truth.repository.indexOf('/') + 1);
  const pushed = tagPushTimes(truth);
  const versions = Object.entries(truth.tags).map(([name, tag]) =>
    quayTagVersion({ name, manifestDigest: tag.digest, startTs: Math.floor(pushed.get(name)! / 1000), ...manifestOf(tag) }),
  );
  return quayRepository(path, versions, options.visibility);
}

/** `lifetime_start_ms DESC, name` (data/model/oci/tag.py), then the newest row. */
function ordered(versions: QuayTagVersion[]): QuayTagVersion[] {
  return [...versions].sort((a, b) => b.startTs - a.startTs || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || b.id - a.id);
}

/** util/parsing.py `truthy_bool`. */
function truthy(value: string | null): boolean {
  return value !== null && !['false', 'False', '0', 'FALSE', '', 'null'].includes(value);
}

/** A reqparse `type=int` argument: absent is the default, anything not an integer is a 400. */
function integer(raw: string | null, fallback: number): number | null {
  if (raw === null) return fallback;
  return /^-?\d+$/.test(raw.trim()) ? Number(raw) : null;
}

const TAG_LIST = /^\/api\/v1\/repository\/([^/]+)\/([^/]+)\/tag(\/?)$/;

type Answer = { status: number; body: unknown; headers?: Record<string, string> } | { status: number; raw: string };

export async function startQuayEmulator(initial: Partial<QuayEmulatorOptions> = {}): Promise<QuayEmulator> {
  const options: QuayEmulatorOptions = { repositories: [], fault: null, delayMs: 0, ...initial };
  const requests: QuayRecord[] = [];
  let selfUrl = '';

  const find = (path: string) => options.repositories.find((r) => `${r.namespace}/${r.name}` === path);
  const error = (status: number, detail?: string): Answer => {
    const known = QUAY_ERRORS[status] ?? { type: 'internal_error', description: 'Internal Server Error' };
    const description = detail ?? known.description;
    return {
      status,
      body: { detail: description, error_message: description, error_type: known.type, title: known.type, type: `${selfUrl}/api/v1/error/${known.type}`, status },
    };
  };

  /** listRepoTags: permission first (anonymous: public repositories only), then the page. */
  const tagList = (repository: QuayRepository | undefined, url: URL): Answer => {
    if (!repository || repository.visibility === 'private') return error(401);
    const limitArg = integer(url.searchParams.get('limit'), QUAY.defaultLimit);
    const pageArg = integer(url.searchParams.get('page'), 1);
    if (limitArg === null || pageArg === null) return error(400);
    const limit = Math.min(QUAY.maxLimit, Math.max(1, limitArg));
    const page = Math.max(1, pageArg);
    const now = Date.now() / 1000;
    const specificTag = url.searchParams.get('specificTag') || null;
    const rows = ordered(repository.versions).filter(
      (v) => (!truthy(url.searchParams.get('onlyActiveTags')) || v.endTs === null || v.endTs > now) && (specificTag === null || v.name === specificTag),
    );
    // Quay asks for limit + 1 rows at offset limit × (page − 1): the extra one says more follow.
    const slice = rows.slice(limit * (page - 1), limit * page + 1);
    return { status: 200, body: { tags: slice.slice(0, limit).map(quayTagDict), page, has_additional: slice.length > limit } };
  };

  const answer = (method: string, url: URL, match: RegExpExecArray | null): Answer => {
    if (!match || (method !== 'GET' && method !== 'HEAD')) return error(404);
    // Flask's strict slashes: the route ends in `/`, and `/tag` is redirected there.
    if (match[3] !== '/') return { status: 308, body: null, headers: { location: `${url.pathname}/${url.search}` } };
    return tagList(find(`${decodeURIComponent(match[1]!)}/${decodeURIComponent(match[2]!)}`), url);
  };

  const server = http.createServer(async (req, res) => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://quay.local');
    const match = TAG_LIST.exec(url.pathname);
    // Logged on arrival, so a request a test gave up on lands in that test's log, not a later one's.
    const record: QuayRecord = { method, path: url.pathname + url.search, kind: match ? 'tagList' : 'other', status: null, authorization: req.headers.authorization ?? null };
    requests.push(record);
    if (options.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    const send = (result: Answer) => {
      record.status = result.status;
      const text = 'raw' in result ? result.raw : JSON.stringify(result.body);
      res.writeHead(result.status, {
        'content-type': 'raw' in result ? 'text/html; charset=utf-8' : 'application/json',
        'content-length': String(Buffer.byteLength(text)),
        ...('headers' in result ? result.headers : {}),
      });
      res.end(method === 'HEAD' ? undefined : text);
    };

    const fault = options.fault;
    if (fault && record.kind === 'tagList') {
      if (fault.times !== undefined && --fault.times <= 0) options.fault = null;
      if (fault.answer === 'reset') {
        record.status = 0;
        req.socket.destroy();
        return;
      }
      if (fault.answer === 'error') send(error(fault.status ?? 500));
      else if (fault.answer === 'garbage') send({ status: 200, raw: '<html><body>Quay is in read-only mode</body></html>\n{"tags": [' });
      else send({ status: 200, body: { results: [{ tag: 'latest' }], next: null } });
      return;
    }
    try {
      send(answer(method, url, match));
    } catch (failure) {
      send(error(500, String(failure)));
    }
  });
  server.keepAliveTimeout = 5_000;
  const listening = await listenOnLoopback(server);
  selfUrl = listening.url;

  const repository = (path: string) => {
    const found = find(path);
    if (!found) throw new Error(`the Quay emulator serves no repository ${path}`);
    return found;
  };
  const alive = (path: string, tag: string) => {
    const now = Date.now() / 1000;
    return repository(path).versions.find((v) => v.name === tag && (v.endTs === null || v.endTs > now));
  };
  const end = (row: QuayTagVersion, at: number) => {
    if (at < row.startTs) throw new Error(`${row.name} started at ${row.startTs}; it cannot end earlier, at ${at}`);
    row.endTs = at;
  };
  return {
    host: listening.host,
    url: selfUrl,
    options,
    requests,
    repository,
    alive,
    moveTag(path, tag, digest, atSeconds = Math.floor(Date.now() / 1000), manifest = {}) {
      const current = alive(path, tag);
      if (current) end(current, atSeconds);
      const known = repository(path).versions.find((v) => v.manifestDigest === digest);
      const row = quayTagVersion({
        name: tag,
        manifestDigest: digest,
        startTs: atSeconds,
        isManifestList: known?.isManifestList ?? false,
        size: known ? known.size : 0,
        ...manifest,
      });
      repository(path).versions.push(row);
      return row;
    },
    deleteTag(path, tag, atSeconds = Math.floor(Date.now() / 1000)) {
      const current = alive(path, tag);
      if (!current) throw new Error(`the Quay emulator has no live tag ${path}:${tag}`);
      end(current, atSeconds);
      return current;
    },
    reset() {
      requests.length = 0;
    },
    stop: listening.stop,
  };
}
