// The throwaway PostgreSQL the history store's tests run on (tests/support/postgres.ts): a
// cluster of its own on loopback that answers queries, can be killed under its clients and
// started again with its data, and leaves nothing behind.
import { existsSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../support/postgres';

/** A client whose connection errors (the server going away) are kept, not thrown at the process. */
async function connect(url: string): Promise<{ client: pg.Client; errors: Error[] }> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  const errors: Error[] = [];
  client.on('error', (error) => errors.push(error));
  await client.connect();
  return { client, errors };
}

async function failure(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected the promise to fail');
}

describe('startPostgres', () => {
  let server: PostgresServer;
  const clients: pg.Client[] = [];
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    for (const client of clients) await client.end().catch(() => {});
    await server?.stop();
  });

  it('serves its database to its password user on 127.0.0.1, from its own folder, without fsync', async () => {
    expect(server.url).toMatch(new RegExp(`^postgres://tagscope:[^@]+@127\\.0\\.0\\.1:${server.port}/tagscope$`));
    const { client } = await connect(server.url);
    clients.push(client);
    const { rows } = await client.query<{ db: string; listen: string; data: string; fsync: string }>(
      "SELECT current_database() AS db, current_setting('listen_addresses') AS listen, current_setting('data_directory') AS data, current_setting('fsync') AS fsync",
    );
    expect(rows).toEqual([{ db: 'tagscope', listen: '127.0.0.1', data: `${server.dir}/data`, fsync: 'off' }]);
  });

  it('asks for the password over TCP', async () => {
    const url = new URL(server.url);
    url.password = 'wrong';
    const error = await failure(connect(url.toString()));
    expect(error.code).toBe('28P01'); // invalid_password
  });

  it('kill() cuts every connection at once; restart() serves the same port and data again', async () => {
    const { client, errors } = await connect(server.url);
    clients.push(client);
    await client.query('CREATE TABLE kept (n int)');
    await client.query('INSERT INTO kept VALUES (1)');

    await server.kill();
    await failure(client.query('SELECT 1'));
    expect(errors.map((e) => e.message)).toEqual(['Connection terminated unexpectedly']);
    expect((await failure(connect(server.url))).code).toBe('ECONNREFUSED');

    await server.restart();
    const again = await connect(server.url);
    clients.push(again.client);
    expect((await again.client.query('SELECT n FROM kept')).rows).toEqual([{ n: 1 }]);
  });

  it('restart() while running is a crash and a start', async () => {
    const { client } = await connect(server.url);
    clients.push(client);
    await server.restart();
    const again = await connect(server.url);
    clients.push(again.client);
    expect((await again.client.query('SELECT count(*)::int AS n FROM kept')).rows).toEqual([{ n: 1 }]);
  });
});

describe('stop()', () => {
  it('ends the server and removes its folder', async () => {
    const server = await startPostgres();
    expect(existsSync(`${server.dir}/data/PG_VERSION`)).toBe(true);
    await server.stop();
    expect(existsSync(server.dir)).toBe(false);
    expect((await failure(connect(server.url))).code).toBe('ECONNREFUSED');
  });
});
