// Starts the production build (`next start`) on a free loopback port for end-to-end tests,
// with the environment the test needs, and stops it again.

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
  const child: ChildProcess = spawn(
    path.join(root, 'node_modules', '.bin', 'next'),
    ['start', '--port', String(port), '--hostname', '127.0.0.1'],
    {
      cwd: root,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', TAGSCOPE_RATE_LIMIT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`next start exited with code ${code} before answering:\n${output}`))),
  );
  const url = `http://127.0.0.1:${port}`;
  await Promise.race([waitForHttp(url, { what: 'next start' }), exited]);
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
