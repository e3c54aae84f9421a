// The set-up scripts fail in one line that says what and why, never with a stack trace.
import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

async function fails(script: string, args: string[], env: Record<string, string> = {}) {
  const result = await run('node', [path.join(root, script), ...args], { cwd: root, env: { ...process.env, ...env } }).then(
    () => null,
    (error: { code: number; stderr: string }) => error,
  );
  expect(result).not.toBeNull();
  return result!;
}

describe('npm start', () => {
  it('says the port is in use, in one line', async () => {
    const server = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const error = await fails('scripts/start.mjs', [], { PORT: String(port), HOSTNAME: '127.0.0.1' });
      expect(error.code).toBe(1);
      expect(error.stderr.trim()).toBe(`tagscope: port ${port} is already in use: stop what listens there or set PORT to another port`);
    } finally {
      server.close();
    }
  });

  it('says PORT is not a port', async () => {
    const error = await fails('scripts/start.mjs', [], { PORT: 'eighty' });
    expect(error.stderr.trim()).toBe('tagscope: PORT=eighty is not a port number (1-65535)');
  });
});

describe('ensure-system-packages', () => {
  it('names an unknown program and lists the known ones', async () => {
    const error = await fails('scripts/ensure-system-packages.mjs', ['no-such-tool']);
    expect(error.stderr.trim().split('\n')).toHaveLength(1);
    expect(error.stderr).toContain('unknown program(s) no-such-tool; known: chromium');
  });
});
