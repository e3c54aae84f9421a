// Every cap and timeout of the client in one table (docs/registry-protocol.md §4.1, §10.5, §10.6).
// A registry is a stranger's server: nothing it sends is read without a bound.

const MiB = 1024 * 1024;

export const LIMITS = {
  manifestBytes: 4 * MiB,
  configBytes: 4 * MiB,
  tokenResponseBytes: 64 * 1024,
  errorBodyBytes: 64 * 1024,
  tagPageBytes: 10 * MiB,
  /** All pages of one tag listing together: 100,000 tags of 128 characters fit twice. */
  tagListBytes: 32 * MiB,
  /** One tag listing, every page included; an endless Link chain stops here. */
  tagListMs: 60_000,
  /** Pages of tags/list followed before the list is reported truncated. */
  tagPages: 1_000,
  /** Tags kept before the list is reported truncated. */
  tags: 100_000,
  /** Tags asked for per page; ECR refuses more than 1000 (ggcr list.go, #681). */
  tagPageSize: 1_000,
  /** One page of a registry's catalog (/v2/_catalog): 1,000 names of 255 characters fit forty times. */
  catalogPageBytes: 10 * MiB,
  /** All pages of one catalog listing together: 100,000 names of 255 characters fit. */
  catalogBytes: 32 * MiB,
  /** One catalog listing, every page included; an endless Link chain stops here. */
  catalogMs: 60_000,
  /** Pages of _catalog followed before the list is reported truncated. */
  catalogPages: 1_000,
  /** Repositories kept before the list is reported truncated (resume with `last`). */
  repositories: 100_000,
  /**
   * Repositories asked for per catalog page. distribution 2.8 answers a larger `n` with 400
   * PAGINATION_NUMBER_INVALID (its catalog maxentries, 1,000 by default; observed), so a
   * refused `n` is asked again without one (lib/registry/paged-list.ts).
   */
  catalogPageSize: 1_000,
  /** Nested indexes followed (image-index.md allows nesting; we bound it). */
  indexDepth: 4,
  /** Entries of one index read; more are reported as an error, not followed. */
  indexEntries: 1_024,
  /** Manifests fetched for one group, nested indexes included (real indexes name < 100). */
  groupManifests: 256,
  /** Manifest GETs one repository view may spend (the 10,000-tag benchmark needs 7,500). */
  viewManifests: 25_000,
  /** Tags a first screen shows: their HEADs and indexes go before the platform manifests of any group. */
  firstScreenTags: 50,
  /** Tags one view resolves at a time (each waits its turn at the host's concurrency limit). */
  viewTagsInFlight: 256,
  /** A repository view stops its upstream work after this long, and says what was cut. */
  viewDeadlineMs: 300_000,
  /** A digest page's search of the repository (which tags lead here, which image a blob is in). */
  lookupManifests: 2_000,
  lookupDeadlineMs: 30_000,
  redirects: 5,
  connectTimeoutMs: 5_000,
  requestTimeoutMs: 30_000,
  /** Extra attempts for idempotent requests on 5xx, 408, resets and short 429s. */
  retries: 2,
  /** A Retry-After longer than this is reported to the caller instead of waited out. */
  maxRetryWaitMs: 5_000,
  /**
   * The longest pause a Retry-After or a rate-limit reset can put on a host (a web API, a
   * registry's pull budget): a longer one is cut to this, then a request goes out again. A
   * broken or hostile `Retry-After: 999999` would otherwise turn the API off for days.
   */
  maxRateLimitPauseMs: 300_000,
  /** Tokens are renewed this long before they expire. */
  tokenRenewBeforeMs: 10_000,
  /** expires_in when a token server leaves it out, and its floor (token.md). */
  tokenMinLifetimeSeconds: 60,
  /** One answer of a registry's web API (a Hub tag page of 100 tags is about 150 KiB). */
  webApiPageBytes: 4 * MiB,
  /**
   * All pages of one web API listing together (Hub's tags, repositories, search; Quay's tag
   * list), as a registry's tag listing: about 20,000 Hub tags. Past it the list is truncated.
   */
  webApiListBytes: 32 * MiB,
  /** Items of one web API listing (tags, repositories, search results) kept before it is truncated. */
  webApiItems: 100_000,
  /**
   * Pages of one Hub listing asked for ahead of the one being read (signed in, a listing of
   * 100 pages would otherwise ask for all at once and hold every answer): with the page read,
   * at most this many + 1 answers of webApiPageBytes are held per listing.
   */
  webApiPagesAhead: 4,
  /** Docker Hub refuses anonymous paging past this offset (403, docs/docker-hub-api.md §0.2). */
  hubAnonymousOffset: 1_000,
  /** Tags per Hub page: its documented maximum (docs/docker-hub-api.md §1.2). */
  hubPageSize: 100,
  /**
   * Pages of a Hub namespace's repositories (listNamespaceRepositories, docs/docker-hub-api.md
   * §3) read: 1,000 repositories; `library`, the official images, is about two.
   */
  hubNamespacePages: 10,
  /**
   * Pages of Hub search results read: the best 100 by Hub's own ranking. A common word matches
   * tens of thousands, and each page is one of the web API's 180 requests a minute.
   */
  hubSearchPages: 1,
  /** A Hub access token "expires in 10 minutes" (docs/docker-hub-api.md §1.7); it is renewed a minute early. */
  hubTokenLifetimeMs: 10 * 60_000,
  hubTokenRenewBeforeMs: 60_000,
  /** Tag rows per page of Quay's tag list: its maximum (`limit` is clamped to 1–100, docs/docker-hub-api.md §4). */
  quayPageSize: 100,
  /** Pages of Quay's tag list read before the list is reported truncated: 20,000 rows of tag history. */
  quayTagPages: 200,
  /** Rows of Quay's tag list (a tag's versions count one each) kept before the list is reported truncated. */
  quayTags: 20_000,
  /** A pull-limit window assumed when the registry's headers give none (Docker Hub's 6 h, docs/docker-hub-api.md §2). */
  pullWindowSeconds: 21_600,
} as const;
