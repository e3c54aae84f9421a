// A real redis-server (Debian's package) on a free loopback port, without persistence.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll } from 'vitest';
import { RedisStore } from '../../lib/cache/redis-store';
import { trackChild } from './harness/processes';
import { requireBinary } from './harness/registry-process';
import { freePort } from './ports';

export async function startRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  requireBinary('redis-server');
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  trackChild(child);
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start on ${port}: ${output}`)), 10_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with code ${code}: ${output}`));
    });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * A redis-server for the `describe` block this is called in, started before its tests and
 * stopped after them with every RedisStore made on it; `store(url)` makes one (on another URL
 * for a Redis that is down).
 */
export function useRedisStores(): { store(url?: string): RedisStore } {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  const stores: RedisStore[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    await redis?.stop();
  });
  return {
    store(url = redis.url) {
      const store = new RedisStore(url);
      stores.push(store);
      return store;
    },
  };
}
