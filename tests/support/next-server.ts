// Starts the production build through scripts/server.mjs as `npm start` does (or a standalone
// build folder's `node server.js`), with the environment the caller needs, and stops it again:
// on a free loopback port for end-to-end tests, scripts and benchmarks, or where `npm run demo`
// serves it for a person.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { trackChild } from './harness/processes';
import { freePort, waitForHttp } from './ports';

const root = path.resolve(import.meta.dirname, '..', '..');

export interface RunningServer {
  url: string;
  pid: number;
  /** Settles with the exit code when the server stops, whoever stopped it. */
  exited: Promise<number | null>;
  /** What it wrote to stdout and stderr so far (empty with `inheritOutput`). */
  output(): string;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** Default: a free port the OS picks. */
  port?: number;
  /** Default 127.0.0.1; null leaves it to HOSTNAME, else scripts/server.mjs's all interfaces. */
  hostname?: string | null;
  /** Show the server's output as it comes (the demo) instead of keeping it for an error message. */
  inheritOutput?: boolean;
  /** A standalone build folder (scripts/standalone.mjs) to run `node server.js` in, instead of the checkout's build. */
  standalone?: string;
}

/** True when there is a production build to serve (`next build` writes .next/BUILD_ID last). */
export function hasProductionBuild(): boolean {
  return existsSync(path.join(root, '.next', 'BUILD_ID'));
}

/**
 * `env` is laid over this process's environment and the tests' defaults (no API rate limit);
 * a variable given as undefined is left out, so the app's own default applies.
 */
export async function startNextServer(env: Record<string, string | undefined> = {}, options: ServerOptions = {}): Promise<RunningServer> {
  if (!options.standalone && !hasProductionBuild()) {
    throw new Error('no production build: run "next build" before the end-to-end tests (npm run test:e2e does)');
  }
  const port = options.port ?? (await freePort());
  const hostname = options.hostname === undefined ? '127.0.0.1' : (options.hostname ?? process.env.HOSTNAME);
  // Each server keeps its own tag history unless the test shares one on purpose.
  const dataDir = env.TAGSCOPE_DATA_DIR === undefined && !('TAGSCOPE_DATA_DIR' in env) ? mkdtempSync(path.join(tmpdir(), 'tagscope-data-')) : null;
  const [cwd, entry] = options.standalone ? [options.standalone, 'server.js'] : [root, path.join('scripts', 'server.mjs')];
  const child: ChildProcess = spawn(process.execPath, [entry], {
    cwd,
    // child_process leaves out variables whose value is undefined.
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', TAGSCOPE_RATE_LIMIT: '0', ...(dataDir ? { TAGSCOPE_DATA_DIR: dataDir } : {}), ...env, PORT: String(port), HOSTNAME: hostname },
    stdio: ['ignore', options.inheritOutput ? 'inherit' : 'pipe', options.inheritOutput ? 'inherit' : 'pipe'],
  });
  // Killed with the harness's registries when this process exits or is interrupted.
  trackChild(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      resolve(code);
    }),
  );
  const exitedEarly = exited.then((code) => {
    throw new Error(`${entry} exited with code ${code} before answering${output ? `:\n${output}` : ' (see its output above)'}`);
  });
  const url = `http://127.0.0.1:${port}`;
  await Promise.race([waitForHttp(url, { what: entry }), exitedEarly]);
  exitedEarly.catch(() => {});
  return {
    url,
    pid: child.pid!,
    exited,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}
