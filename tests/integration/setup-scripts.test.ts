// The set-up scripts fail in one line that says what and why, never with a stack trace.
import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** Runs `script` (absolute, or from the checkout) in `cwd` (default the checkout), as `uid`/`gid` when given. */
async function fails(script: string, args: string[], env: Record<string, string> = {}, options: { uid?: number; gid?: number; cwd?: string } = {}) {
  const { cwd = root, ...user } = options;
  const result = await run(process.execPath, [path.resolve(root, script), ...args], { cwd, env: { ...process.env, ...env }, ...user }).then(
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
  const ensure = 'scripts/ensure-system-packages.mjs';
  const everyPackage = 'chromium docker-registry apache2-utils postgresql openssl redis-server';
  // A fresh machine as the script sees it: a PATH holding only node and apt-get, no Chromium
  // where Playwright will look for it, and no PostgreSQL in the folder of its programs.
  const noPostgres = { TAGSCOPE_POSTGRESQL_BIN: '/nonexistent' };
  let bare: string;
  let freshMachine: Record<string, string>;
  // The unprivileged user below may not read the checkout (a clone in a `mktemp -d` folder, or
  // under /root): it runs a copy of the script from a folder of its own.
  let unprivileged: string;
  beforeAll(async () => {
    bare = await mkdtemp(path.join(tmpdir(), 'tagscope-bare-path-'));
    await chmod(bare, 0o755); // readable by the unprivileged user below
    await symlink(process.execPath, path.join(bare, 'node'));
    await symlink('/usr/bin/apt-get', path.join(bare, 'apt-get'));
    freshMachine = { PATH: bare, TAGSCOPE_CHROMIUM: path.join(bare, 'chromium'), ...noPostgres };
    unprivileged = await mkdtemp(path.join(tmpdir(), 'tagscope-unprivileged-'));
    await chmod(unprivileged, 0o755);
    await copyFile(path.join(root, ensure), path.join(unprivileged, path.basename(ensure)));
    await chmod(path.join(unprivileged, path.basename(ensure)), 0o644);
  });
  afterAll(async () => {
    await rm(bare, { recursive: true, force: true });
    await rm(unprivileged, { recursive: true, force: true });
  });

  it('runs before anything else in npm test, and first in the integration and end-to-end scripts', async () => {
    const { scripts } = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(scripts.test?.split(' && ')[0], 'npm test must ensure every system package first').toBe(`node ${ensure}`);
    expect(scripts['test:integration']?.split(' && ')[0]).toBe(`node ${ensure} --for integration`);
    expect(scripts['test:e2e']?.split(' && ')[0]).toBe(`node ${ensure} --for e2e`);
    // CI runs the README's commands and nothing that would hide a step missing from them.
    const ci = (await readFile(path.join(root, '.ci/run'), 'utf8'))
      .split('\n')
      .filter((line) => !line.startsWith('#'))
      .join('\n');
    expect(ci).not.toMatch(/ensure-system-packages|apt-get/);
    expect(ci).toMatch(/^npm install\b/m);
    expect(ci).toMatch(/^npm test$/m);
  });

  it.runIf(process.getuid?.() === 0)('as root, installs every missing package with apt-get', async () => {
    // --dry-run prints the apt-get commands at the point where they would run.
    const { stdout } = await run(process.execPath, [path.join(root, ensure), '--dry-run'], { cwd: root, env: { ...process.env, ...freshMachine } });
    expect(stdout.trim().split('\n')).toEqual([
      'ensure-system-packages: would run: apt-get update -qq',
      `ensure-system-packages: would run: apt-get install -y -qq --no-install-recommends ${everyPackage}`,
    ]);
    const integration = await run(process.execPath, [path.join(root, ensure), '--for', 'integration', '--dry-run'], { cwd: root, env: { ...process.env, ...freshMachine } });
    expect(integration.stdout).toContain('apt-get install -y -qq --no-install-recommends docker-registry apache2-utils postgresql openssl redis-server\n');
  });

  it('without root, stops in one line naming the apt-get command to run', async () => {
    // As root, the test runs the script as nobody; otherwise as the user running it.
    const nobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const error = await fails(path.join(unprivileged, path.basename(ensure)), [], freshMachine, { ...nobody, cwd: unprivileged });
    expect(error.code).toBe(1);
    expect(error.stderr.trim()).toBe(
      'ensure-system-packages: the tests need chromium, docker-registry, htpasswd, initdb, openssl, postgres, redis-server, which are not installed; ' +
        `installing needs root: run "sudo apt-get update && sudo apt-get install -y ${everyPackage}", then run again`,
    );
  });

  it('on a machine without apt-get, names the packages in one line', async () => {
    const error = await fails(ensure, ['--for', 'integration'], { PATH: '/nonexistent', ...noPostgres });
    expect(error.stderr.trim()).toBe(
      'ensure-system-packages: the tests need docker-registry, htpasswd, initdb, openssl, postgres, redis-server, which are not installed, and this machine has no apt-get: ' +
        'install the Debian package(s) docker-registry apache2-utils postgresql openssl redis-server or their equivalent, then run again',
    );
  });

  it('names an unknown program and lists the known ones', async () => {
    const error = await fails(ensure, ['no-such-tool']);
    expect(error.stderr.trim()).toBe('ensure-system-packages: unknown program(s) no-such-tool; known: chromium, docker-registry, htpasswd, initdb, openssl, postgres, redis-server');
  });

  it('with --where, prints where each program is and nothing else: PostgreSQL\'s from one folder off PATH', async () => {
    const { stdout } = await run(process.execPath, [path.join(root, ensure), '--where', 'initdb', 'postgres', 'openssl'], { cwd: root });
    const [initdb, postgres, openssl] = stdout.trim().split('\n');
    expect(path.isAbsolute(initdb!) && path.basename(initdb!) === 'initdb').toBe(true);
    expect(postgres).toBe(path.join(path.dirname(initdb!), 'postgres'));
    expect(path.basename(openssl!)).toBe('openssl');
  });
});
