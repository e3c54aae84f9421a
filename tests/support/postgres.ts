// A throwaway PostgreSQL (Debian's `postgresql` package) for tests: its own cluster in a temp
// folder, made by initdb and served on a free loopback port, with a password user and a
// database. Nothing is synced to disk (fsync, full-page writes): the data lives as long as the
// test. PostgreSQL refuses to run as root, so as root the cluster belongs to the
// `postgres` account the package makes (the temp folder must be one that account can reach),
// and its programs run as that account.

import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { locateBinaries } from './harness/registry-process';
import { freePort } from './ports';

export interface PostgresServer {
  /** `postgres://tagscope:<password>@127.0.0.1:<port>/tagscope`: a superuser and its database. */
  url: string;
  port: number;
  /** The cluster's folder: its data directory (`data/`) and its Unix socket. */
  dir: string;
  /**
   * Stops the server abruptly, keeping its data: an immediate shutdown, so every connection is
   * cut at once (clients get an error, then ECONNREFUSED) and no checkpoint is written.
   */
  kill(): Promise<void>;
  /** Starts the server again on the same port and data directory (crash recovery included); kills it first if it runs. */
  restart(): Promise<void>;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

const USER = 'tagscope';
const DATABASE = 'tagscope';
const READY = 'database system is ready to accept connections';
const run = promisify(execFile);

/** The account the cluster's programs run as: this process's own, or `postgres` when this is root. */
interface Owner {
  uid: number;
  gid: number;
}

function clusterOwner(): Owner | null {
  if (process.getuid?.() !== 0) return null;
  const entry = spawnSync('getent', ['passwd', 'postgres'], { encoding: 'utf8' }).stdout?.trim();
  const [, , uid, gid] = entry?.split(':') ?? [];
  if (!uid || !gid) throw new Error('PostgreSQL does not run as root, and this machine has no postgres account to run it as (Debian\'s postgresql package makes one)');
  return { uid: Number(uid), gid: Number(gid) };
}

let programs: { initdb: string; postgres: string } | undefined;

/** initdb and postgres from one folder, looked up once per test process. */
function postgresPrograms(): { initdb: string; postgres: string } {
  if (!programs) {
    const [initdb, postgres] = locateBinaries('initdb', 'postgres');
    programs = { initdb: initdb!, postgres: postgres! };
  }
  return programs;
}

/**
 * Watches this process on the server's behalf: a shell reading a pipe from here, which the
 * kernel closes when this process ends in any way (SIGKILL and a crashed worker included).
 * Unless told `stop` first, it then shuts down whatever postmaster the data directory names
 * (postmaster.pid, checked to be a postgres process) and removes the folder.
 */
function startWatchdog(dir: string, data: string): ChildProcess {
  const script = [
    'read -r word',
    '[ "$word" = stop ] && exit 0',
    'pid=$(head -n 1 "$2/postmaster.pid" 2>/dev/null)',
    'if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = postgres ]; then',
    '  kill -QUIT "$pid"',
    '  i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done',
    'fi',
    'rm -rf -- "$1"',
  ].join('\n');
  const watchdog = spawn('sh', ['-c', script, 'tagscope-postgres-watchdog', dir, data], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  watchdog.unref();
  (watchdog.stdin as unknown as { unref(): void }).unref();
  return watchdog;
}

/** Runs the postmaster until `ready` resolves (its log says so) or rejects (it exited first). */
function startPostmaster(postgres: string, args: string[], owner: Owner | null, cwd: string): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(postgres, args, { cwd, env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' }, stdio: ['ignore', 'ignore', 'pipe'], ...owner });
  let log = '';
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`postgres did not start within 30 s: ${log.trim()}`)), 30_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-4000);
      if (log.includes(READY)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`postgres exited (${signal ?? `code ${code}`}) before it was ready: ${log.trim()}`));
    });
  });
  return { child, ready };
}

/** Ends the postmaster with `signal` (SIGQUIT: immediate shutdown) and waits until it is gone; SIGKILL after 5 s. */
async function halt(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

export async function startPostgres(): Promise<PostgresServer> {
  const { initdb, postgres } = postgresPrograms();
  const owner = clusterOwner();
  const dir = await mkdtemp(path.join(tmpdir(), 'tagscope-postgres-'));
  const data = path.join(dir, 'data');
  const password = randomBytes(18).toString('base64url');
  const watchdog = startWatchdog(dir, data);
  let child: ChildProcess | null = null;

  const launch = async (port: number) => {
    // The socket goes in the cluster's own folder: /var/run/postgresql is the system cluster's.
    const args = ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`];
    // No fsync: a commit still reaches the WAL file before it returns, so it survives kill()
    // (a process crash), just not a crash of the machine.
    for (const setting of ['fsync=off', 'full_page_writes=off']) args.push('-c', setting);
    const started = startPostmaster(postgres, args, owner, dir);
    child = started.child;
    await started.ready;
  };
  const stop = async () => {
    if (child) await halt(child, 'SIGQUIT');
    watchdog.stdin?.end('stop\n');
    await rm(dir, { recursive: true, force: true });
  };

  try {
    if (owner) await chown(dir, owner.uid, owner.gid);
    const passwordFile = path.join(dir, 'password');
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
    if (owner) await chown(passwordFile, owner.uid, owner.gid);
    await run(
      initdb,
      ['-D', data, '-U', USER, `--pwfile=${passwordFile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '--encoding=UTF8', '--locale=C', '--no-sync', '--no-instructions'],
      { cwd: dir, env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' }, ...owner },
    );
    await rm(passwordFile);
    const port = await freePort();
    await launch(port);
    const admin = new pg.Client({ connectionString: `postgres://${USER}:${password}@127.0.0.1:${port}/postgres` });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${DATABASE}`);
    } finally {
      await admin.end();
    }
    return {
      url: `postgres://${USER}:${password}@127.0.0.1:${port}/${DATABASE}`,
      port,
      dir,
      kill: async () => {
        if (child) await halt(child, 'SIGQUIT');
      },
      restart: async () => {
        if (child) await halt(child, 'SIGQUIT');
        await launch(port);
      },
      stop,
    };
  } catch (error) {
    await stop();
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw stderr ? new Error(`initdb failed: ${stderr}`, { cause: error }) : error;
  }
}
