// Opens the history database: an embedded SQLite file under TAGSCOPE_DATA_DIR by default
// (better-sqlite3, nothing to install, a few MB), or PostgreSQL when DATABASE_URL names one, so
// several instances share history and watches. Both go through one Kysely query layer; the
// schema is migrated to the latest version on open, and a database written by a newer
// Tagscope (a migration this code does not know) is refused before anything touches it.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Database as BetterSqlite3Database } from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, sql, SqliteDialect, type RawBuilder, type SqliteDatabase } from 'kysely';
import { migrations, MIGRATION_LOCK_TABLE, MIGRATION_TABLE, type Database, type Engine } from './schema';

/** Where history lives: a SQLite file, or a PostgreSQL server. */
export type DatabaseTarget = { engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string };

export interface HistoryDatabase {
  db: Kysely<Database>;
  engine: Engine;
  /** The database's own clock in milliseconds, so instances with skewed clocks agree on leases. */
  now: RawBuilder<number>;
  /** Where it is, for messages: the file, or the server without credentials. */
  where: string;
  close(): Promise<void>;
}

/** A database whose schema is newer than this code: it must stop start-up, untouched. */
export class SchemaTooNewError extends Error {}

/** The SQLite file in TAGSCOPE_DATA_DIR. */
export const SQLITE_FILE = 'tagscope.db';

/**
 * DATABASE_URL: a `postgres://` or `postgresql://` URL with a host; anything else stops start-up
 * with one line naming it (the value is not repeated: it may hold a password).
 */
export function parseDatabaseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new Error('expected a URL such as postgres://user:password@host:5432/tagscope');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new Error(`expected a postgres:// URL, not ${url.protocol}// (the embedded database needs no URL: leave DATABASE_URL unset)`);
  if (!url.hostname) throw new Error('expected a host, as in postgres://user:password@host:5432/tagscope');
  return url.toString();
}

/** The server of a PostgreSQL URL, without its user and password. */
function describeUrl(text: string): string {
  const url = new URL(text);
  return `postgres://${url.host}${url.pathname}`;
}

/** Prepared statements kept per SQLite file, by their SQL (the oldest goes first). */
const STATEMENTS_KEPT = 200;

/**
 * Kysely prepares every query again, and preparing was the largest share of the main thread's
 * time while a flood of sightings was written: a statement is kept by its SQL and used again,
 * unless it is still being iterated.
 */
function reusingStatements(file: BetterSqlite3Database): SqliteDatabase {
  const kept = new Map<string, ReturnType<BetterSqlite3Database['prepare']>>();
  return {
    close: () => file.close(),
    prepare(text: string) {
      const statement = kept.get(text);
      if (statement && !statement.busy) return statement;
      const fresh = file.prepare(text);
      kept.delete(text);
      kept.set(text, fresh);
      if (kept.size > STATEMENTS_KEPT) kept.delete(kept.keys().next().value!);
      return fresh;
    },
  };
}

export async function openHistoryDatabase(target: DatabaseTarget): Promise<HistoryDatabase> {
  const engine = target.engine;
  let db: Kysely<Database>;
  let where: string;
  if (target.engine === 'sqlite') {
    const { default: SQLite } = await import('better-sqlite3');
    mkdirSync(path.dirname(target.file), { recursive: true });
    const file = new SQLite(target.file);
    // WAL: readers never wait for the writer; NORMAL: durable at each checkpoint, which is
    // what a history of sightings needs; busy_timeout: a second process waits, not fails.
    file.pragma('journal_mode = WAL');
    file.pragma('synchronous = NORMAL');
    file.pragma('busy_timeout = 5000');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: reusingStatements(file) }) });
    where = target.file;
  } else {
    const { default: pg } = await import('pg');
    // bigint (OID 20) comes back as a string by default; every bigint here is a time in ms or an id.
    const types = {
      getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)),
    };
    const pool = new pg.Pool({ connectionString: target.url, max: 4, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000, statement_timeout: 10_000, types });
    // A server that goes away must not crash the process: the pool reports it on idle clients.
    pool.on('error', () => {});
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    where = describeUrl(target.url);
  }
  const now: RawBuilder<number> =
    engine === 'sqlite' ? sql<number>`cast(unixepoch('subsec') * 1000 as integer)` : sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`;
  try {
    await migrate(db, engine, where);
  } catch (error) {
    await db.destroy().catch(() => {});
    throw error;
  }
  return { db, engine, now, where, close: () => db.destroy() };
}

/** Runs the migrations this code knows, after checking the database holds none it does not. */
async function migrate(db: Kysely<Database>, engine: Engine, where: string): Promise<void> {
  const known = migrations(engine);
  const applied = await appliedMigrations(db);
  const unknown = applied.filter((name) => !(name in known));
  if (unknown.length > 0) {
    throw new SchemaTooNewError(
      `the history database at ${where} has schema version ${unknown.at(-1)}, newer than this Tagscope knows (${Object.keys(known).at(-1)}); ` +
        'refusing to run rather than risk it: upgrade Tagscope, or point TAGSCOPE_DATA_DIR or DATABASE_URL elsewhere',
    );
  }
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => known },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw new Error(`the history database at ${where} could not be migrated: ${(error as Error).message}`);
}

async function appliedMigrations(db: Kysely<Database>): Promise<string[]> {
  const tables = await db.introspection.getTables();
  if (!tables.some((table) => table.name === MIGRATION_TABLE)) return [];
  const rows = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)} order by name`.execute(db);
  return rows.rows.map((row) => row.name);
}
