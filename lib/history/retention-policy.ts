// How much tag history is kept, as plain values: the configuration reads it and the store
// applies it, so it stands apart from both (and from the sweeper, which needs the store).

export interface RetentionPolicy {
  /** Runs kept per tag and source (TAGSCOPE_HISTORY_RUNS_PER_TAG), its current run included. */
  runsPerTag: number;
  /** Rows kept per repository (TAGSCOPE_HISTORY_ROWS_PER_REPOSITORY); its tags' current runs are kept even past it. */
  rowsPerRepository: number;
}

/**
 * A tag that moves daily keeps about three years; one that moves hourly, six weeks (the tag
 * page shows 200 runs). A repository keeps 20,000 rows: its 2,000 tags (what a watch polls)
 * at 10 runs each, about 15 MB of SQLite with its indexes (`npm run bench -- --only store`).
 */
export const DEFAULT_RETENTION: RetentionPolicy = { runsPerTag: 1_000, rowsPerRepository: 20_000 };
