import 'server-only';
// The app's registry access: the one RegistryClient of this server (credentials and policy
// from the environment) behind the cache. Every data verb goes through these functions, so
// caching is decided here and nowhere else.

import { Cache, cacheKey, type ContentEntry } from './cache';
import { getConfig } from './env';
import {
  CredentialStore,
  isDigest,
  parseImageConfig,
  parseManifest,
  RegistryClient,
  type CallOptions,
  type Descriptor,
  type ImageConfig,
  type ParsedManifest,
  type RepositoryRef,
  type TagList,
} from './registry';

export interface StoredManifest {
  digest: string;
  mediaType: string;
  size: number;
  bytes: Buffer;
  manifest: ParsedManifest;
  /** Response headers of the fetch that stored it, names lower-cased. */
  headers: Record<string, string>;
}

export interface TagTarget {
  digest: string;
  mediaType: string | null;
  size: number | null;
}

type ContentRecord = ContentEntry;

const repositoryName = (repo: RepositoryRef) => `${repo.registry}/${repo.path}`;

export class RegistryService {
  constructor(
    readonly client: RegistryClient,
    readonly cache: Cache,
  ) {}

  /** Every tag of a repository; reused for the tag TTL. */
  listTags(repo: RepositoryRef, options: CallOptions = {}): Promise<TagList> {
    const key = cacheKey.tagList(repositoryName(repo));
    const fresh = this.cache.getFresh<TagList>(key);
    if (fresh) return Promise.resolve(fresh);
    return this.cache.coalesce(key, async () => {
      const list = await this.client.listTags(repo, options);
      this.cache.setFresh(key, list);
      return list;
    });
  }

  /**
   * What a tag points at now: HEAD with the full Accept list (free on Docker Hub); a GET only
   * when the registry leaves Docker-Content-Digest out, and then the bytes are kept.
   */
  resolveTag(repo: RepositoryRef, tag: string, options: CallOptions = {}): Promise<TagTarget> {
    const key = cacheKey.tag(repositoryName(repo), tag);
    const fresh = this.cache.getFresh<TagTarget>(key);
    if (fresh) return Promise.resolve(fresh);
    return this.cache.coalesce(key, async () => {
      const head = await this.client.headManifest(repo, tag, options);
      let target: TagTarget;
      if (head.digest) {
        target = { digest: head.digest, mediaType: head.mediaType, size: head.size };
      } else {
        const fetched = await this.client.getManifest(repo, tag, options);
        this.cache.setContent(cacheKey.content(repositoryName(repo), fetched.digest), { bytes: fetched.bytes, headers: fetched.headers } satisfies ContentRecord);
        target = { digest: fetched.digest, mediaType: fetched.mediaType, size: fetched.size };
      }
      this.cache.setFresh(key, target);
      return target;
    });
  }

  /** A manifest by digest: fetched once, verified, kept (content never changes). */
  manifest(repo: RepositoryRef, digest: string, options: CallOptions = {}): Promise<StoredManifest> {
    const key = cacheKey.content(repositoryName(repo), digest);
    const cached = this.cache.getContent(key);
    if (cached) return Promise.resolve(toStored(digest, cached));
    return this.cache.coalesce(key, async () => {
      const fetched = await this.client.getManifest(repo, digest, options);
      const record: ContentRecord = { bytes: fetched.bytes, headers: fetched.headers };
      this.cache.setContent(key, record);
      return toStored(digest, record, fetched.manifest);
    });
  }

  /** A manifest by tag or digest, for the manifest view: by digest from the cache. */
  async manifestByReference(repo: RepositoryRef, reference: string, options: CallOptions = {}): Promise<StoredManifest & { verified: boolean | null }> {
    if (isDigest(reference)) return { ...(await this.manifest(repo, reference, options)), verified: true };
    const fetched = await this.client.getManifest(repo, reference, options);
    this.cache.setContent(cacheKey.content(repositoryName(repo), fetched.digest), { bytes: fetched.bytes, headers: fetched.headers } satisfies ContentRecord);
    return { ...toStored(fetched.digest, { bytes: fetched.bytes, headers: fetched.headers }, fetched.manifest), verified: fetched.verified };
  }

  /** An image config by its descriptor: fetched once, verified, kept. */
  config(repo: RepositoryRef, descriptor: Descriptor, options: CallOptions = {}): Promise<ImageConfig> {
    const key = cacheKey.content(repositoryName(repo), descriptor.digest);
    const cached = this.cache.getContent(key);
    if (cached) return Promise.resolve(parseImageConfig(cached.bytes, descriptor.digest));
    return this.cache.coalesce(key, async () => {
      const { bytes, config } = await this.client.getConfig(repo, descriptor, options);
      this.cache.setContent(key, { bytes, headers: {} } satisfies ContentRecord);
      return config;
    });
  }
}

function toStored(digest: string, record: ContentRecord, manifest?: ParsedManifest): StoredManifest {
  const parsed = manifest ?? parseManifest(record.bytes, record.headers['content-type'] ?? null);
  return { digest, mediaType: parsed.mediaType, size: record.bytes.length, bytes: record.bytes, manifest: parsed, headers: record.headers };
}

let service: RegistryService | undefined;

/** The server's one service, built from the environment on first use. */
export function getRegistryService(): RegistryService {
  if (!service) {
    const config = getConfig();
    const client = new RegistryClient({
      credentials: CredentialStore.fromEnvironment(),
      insecureRegistries: config.insecureRegistries,
      concurrency: config.concurrency,
    });
    service = new RegistryService(client, new Cache(config.tagTtlMs));
  }
  return service;
}
