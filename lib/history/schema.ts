// The history database's one schema, for both engines (SQLite by default, PostgreSQL through
// DATABASE_URL), and its versioned migrations, listed here in code rather than read from a
// folder, so they survive bundling. Times are whole milliseconds since the epoch in a 64-bit
// integer on both engines: no time zones, no text dates, the same comparisons everywhere.
// Migrations only ever append to MIGRATIONS; a database that has run one this list does not
// know was written by a newer Tagscope, and database.ts refuses to touch it.

import { sql, type Generated, type Kysely, type Migration } from 'kysely';

export type Engine = 'sqlite' | 'postgres';

export interface ObservationsTable {
  id: Generated<number>;
  registry: string;
  repository: string;
  tag: string;
  digest: string;
  media_type: string | null;
  /** `observed` (Tagscope's sightings) or `registry` (the registry's own record). */
  source: string;
  /** How an observed run was first seen: head, get, hub, quay, watch. */
  via: string | null;
  first_seen: number;
  /** The latest sighting of an observed run; for the registry's record, as first_seen. */
  last_seen: number;
  /**
   * When the tag left this digest: the first sighting of the next digest (observed), or the
   * registry's end time. Null while it is the tag's current run; one current run per tag and source.
   */
  ended_at: number | null;
}

export interface WatchesTable {
  /** Registry + path: `docker.io/library/alpine`. */
  repository: string;
  registry: string;
  /** `config` (TAGSCOPE_WATCH) or `user` (the watch button). */
  origin: string;
  added_at: number;
  next_poll_at: number;
  last_polled_at: number | null;
  last_error: string | null;
  /** The instance polling it now, and until when its claim holds (the database lock). */
  lease_holder: string | null;
  lease_until: number | null;
  /**
   * A button watch's owner: the SHA-256 of the owner token its adder's browser holds (the one
   * way to remove it), and of the client key the API's rate limit gives that adder (per-client
   * limit). Null for configured watches and for those added before 0004.
   */
  owner_hash: string | null;
  client_hash: string | null;
}

/**
 * Webhook deliveries not yet ended (delivered, refused, given up): kept here so that a restart or
 * a crash does not lose them. The instance sending one holds its lease and renews it while the
 * delivery waits; a lease that lapses (its holder died) or is released (its holder stopped) lets
 * any instance send it, with the same id.
 */
export interface WebhookDeliveriesTable {
  /** The delivery id receivers see (X-Tagscope-Delivery). */
  id: string;
  /** The JSON body, as sent. */
  body: string;
  /** 1 for a watched repository's move, 0 for any other: each class is kept to its own bound. */
  watched: number;
  created_at: number;
  lease_holder: string | null;
  lease_until: number | null;
}

export interface Database {
  observations: ObservationsTable;
  watches: WatchesTable;
  webhook_deliveries: WebhookDeliveriesTable;
}

/** The migrations table Kysely keeps; named so an unrelated database is not mistaken for ours. */
export const MIGRATION_TABLE = 'tagscope_migrations';
export const MIGRATION_LOCK_TABLE = 'tagscope_migrations_lock';

type Migrations = Record<string, Migration>;

/** The schema's versions in order, for one engine: the id column is the one thing they spell differently. */
export function migrations(engine: Engine): Migrations {
  return {
    '0001-history': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('observations')
          .addColumn('id', engine === 'sqlite' ? 'integer' : 'bigserial', (column) => (engine === 'sqlite' ? column.primaryKey().autoIncrement() : column.primaryKey()))
          .addColumn('registry', 'text', (column) => column.notNull())
          .addColumn('repository', 'text', (column) => column.notNull())
          .addColumn('tag', 'text', (column) => column.notNull())
          .addColumn('digest', 'text', (column) => column.notNull())
          .addColumn('media_type', 'text')
          .addColumn('source', 'text', (column) => column.notNull())
          .addColumn('via', 'text')
          .addColumn('first_seen', 'bigint', (column) => column.notNull())
          .addColumn('last_seen', 'bigint', (column) => column.notNull())
          .addColumn('ended_at', 'bigint')
          .execute();
        // One run per tag, source and start: the registry's record is imported again and again.
        await db.schema.createIndex('observations_run').unique().on('observations').columns(['repository', 'tag', 'source', 'first_seen']).execute();
        // One current run per tag and source: the compare-and-set that makes a move happen once.
        await db.schema
          .createIndex('observations_current')
          .unique()
          .on('observations')
          .columns(['repository', 'tag', 'source'])
          .where(sql.ref('ended_at'), 'is', null)
          .execute();
        // Recent moves of a repository, newest first.
        await db.schema.createIndex('observations_ended').on('observations').columns(['repository', 'ended_at']).execute();
        await db.schema
          .createTable('watches')
          .addColumn('repository', 'text', (column) => column.primaryKey())
          .addColumn('registry', 'text', (column) => column.notNull())
          .addColumn('origin', 'text', (column) => column.notNull())
          .addColumn('added_at', 'bigint', (column) => column.notNull())
          .addColumn('next_poll_at', 'bigint', (column) => column.notNull())
          .addColumn('last_polled_at', 'bigint')
          .addColumn('last_error', 'text')
          .addColumn('lease_holder', 'text')
          .addColumn('lease_until', 'bigint')
          .execute();
        await db.schema.createIndex('watches_due').on('watches').columns(['next_poll_at']).execute();
      },
    },
    '0002-webhook-deliveries': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('webhook_deliveries')
          .addColumn('id', 'text', (column) => column.primaryKey())
          .addColumn('body', 'text', (column) => column.notNull())
          .addColumn('created_at', 'bigint', (column) => column.notNull())
          .addColumn('lease_holder', 'text')
          .addColumn('lease_until', 'bigint')
          .execute();
        await db.schema.createIndex('webhook_deliveries_created').on('webhook_deliveries').columns(['created_at']).execute();
      },
    },
    // Every read of history walks one of these in order and stops at its limit, and retention
    // deletes a repository's oldest rows through them, so neither sorts a whole repository
    // (a 121,000-row repository's read sorted every row: 0.2–0.4 s of a frozen server).
    // `id` ends each so that rows at one instant have one order on both engines (SQLite's
    // indexes hold the rowid anyway).
    '0003-history-read-indexes': {
      async up(db: Kysely<unknown>) {
        const index = (name: string, columns: string[]) => db.schema.createIndex(name).on('observations').columns(columns);
        // A repository's moves and its ended runs, newest first (replaces repository + ended_at, which PostgreSQL could not order by id).
        await db.schema.dropIndex('observations_ended').execute();
        await index('observations_ended', ['repository', 'ended_at', 'id']).execute();
        // One tag's moves.
        await index('observations_tag_ended', ['repository', 'tag', 'ended_at', 'id']).execute();
        // A repository's runs, newest first.
        await index('observations_started', ['repository', 'first_seen', 'id']).execute();
        // One tag's runs, newest first, whatever their source.
        await index('observations_tag_started', ['repository', 'tag', 'first_seen', 'id']).execute();
        // The runs still going, newest first: the runs a `since` read keeps however long ago they began.
        await index('observations_current_started', ['repository', 'first_seen', 'id']).where(sql.ref('ended_at'), 'is', null).execute();
        // When a tag left a digest (a pinned permalink's "moved away").
        await index('observations_tag_digest', ['repository', 'tag', 'digest', 'ended_at']).execute();
      },
    },
    '0004-watch-owners': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('watches').addColumn('owner_hash', 'text').execute();
        await db.schema.alterTable('watches').addColumn('client_hash', 'text').execute();
        // Counted on every add: how many watches one client holds.
        await db.schema.createIndex('watches_client').on('watches').columns(['client_hash']).execute();
        // last_error held a registry's own words, which the watch list no longer shows anyone:
        // from now on it holds an error code; the next poll fills it again.
        await sql`update watches set last_error = null`.execute(db);
      },
    },
    '0005-webhook-delivery-class': {
      async up(db: Kysely<unknown>) {
        // Deliveries kept before this were of no class: they count as moves from elsewhere.
        await db.schema.alterTable('webhook_deliveries').addColumn('watched', 'integer', (column) => column.notNull().defaultTo(0)).execute();
        // Each class trimmed and claimed oldest first on its own.
        await db.schema.createIndex('webhook_deliveries_class').on('webhook_deliveries').columns(['watched', 'created_at']).execute();
      },
    },
  };
}
