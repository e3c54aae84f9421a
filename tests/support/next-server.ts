// Starts the production build on a free loopback port for end-to-end tests, scripts and
// benchmarks, through scripts/server.mjs as `npm start` does, with the environment the caller
// needs, and stops it again.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { freePort, waitForHttp } from './ports';

const root = path.resolve(import.meta.dirname, '..', '..');

export interface RunningServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startNextServer(env: Record<string, string> = {}): Promise<RunningServer> {
  if (!existsSync(path.join(root, '.next', 'BUILD_ID'))) {
    throw new Error('no production build: run "next build" before the end-to-end tests (npm run test:e2e does)');
  }
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'scripts', 'server.mjs')], {
    cwd: root,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', TAGSCOPE_RATE_LIMIT: '0', ...env, PORT: String(port), HOSTNAME: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`scripts/server.mjs exited with code ${code} before answering:\n${output}`))),
  );
  const url = `http://127.0.0.1:${port}`;
  await Promise.race([waitForHttp(url, { what: 'scripts/server.mjs' }), exited]);
  exited.catch(() => {});
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}
