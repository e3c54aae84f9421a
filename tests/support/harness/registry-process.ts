// Runs the real CNCF distribution registry (Debian's docker-registry 2.8) on a loopback port
// the OS picked, with its own storage folder and config; stops it and removes the folder.
// Facts about running it: docs/registry-protocol.md §11.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, waitForHttp } from '../ports';
import { trackChild } from './processes';

export type RegistryAuth =
  | { kind: 'none' }
  | { kind: 'token'; realm: string; service: string; issuer: string; certificatePath: string }
  | { kind: 'htpasswd'; realm: string; htpasswdPath: string };

export interface RegistryProcess {
  /** `127.0.0.1:PORT` — the registry host as a reference names it. */
  host: string;
  url: string;
  dir: string;
  stop(): Promise<void>;
}

const ensureScript = path.resolve(import.meta.dirname, '../../../scripts/ensure-system-packages.mjs');

/**
 * Makes sure system programs are on this machine through scripts/ensure-system-packages.mjs,
 * the one table of them (it installs as root); throws the script's one-line reason otherwise.
 * Arguments as the script's: program names, or `--for integration|e2e`.
 */
export function ensureSystemPackages(...args: string[]): void {
  const result = spawnSync(process.execPath, [ensureScript, ...args], { encoding: 'utf8', stdio: ['ignore', 'inherit', 'pipe'] });
  if (result.status !== 0) throw new Error(result.stderr.trim() || `${ensureScript} ${args.join(' ')} failed`);
}

/** The program must be here before it is spawned; the script's table names its Debian package. */
export function requireBinary(program: string): void {
  ensureSystemPackages(program);
}

/**
 * Makes sure of programs as requireBinary does and says where they are, in order: for the
 * ones the script finds off PATH (PostgreSQL's, in /usr/lib/postgresql/<version>/bin).
 */
export function locateBinaries(...programs: string[]): string[] {
  const result = spawnSync(process.execPath, [ensureScript, '--where', ...programs], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) throw new Error(result.stderr.trim() || `${ensureScript} --where ${programs.join(' ')} failed`);
  return result.stdout.trim().split('\n');
}

function authYaml(auth: RegistryAuth): string {
  switch (auth.kind) {
    case 'none':
      return '';
    case 'token':
      return [
        'auth:',
        '  token:',
        `    realm: ${auth.realm}`,
        `    service: ${auth.service}`,
        `    issuer: ${auth.issuer}`,
        `    rootcertbundle: ${auth.certificatePath}`,
      ].join('\n');
    case 'htpasswd':
      return ['auth:', '  htpasswd:', `    realm: ${auth.realm}`, `    path: ${auth.htpasswdPath}`].join('\n');
  }
}

export async function startRegistry(auth: RegistryAuth = { kind: 'none' }, name = 'registry'): Promise<RegistryProcess> {
  requireBinary('docker-registry');
  const dir = await mkdtemp(path.join(tmpdir(), `tagscope-${name}-`));
  const port = await freePort();
  const configPath = path.join(dir, 'config.yml');
  await writeFile(
    configPath,
    [
      'version: 0.1',
      'log:',
      '  level: error',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${path.join(dir, 'data')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      `  secret: tagscope-test-${port}`,
      authYaml(auth),
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('docker-registry', ['serve', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  trackChild(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3_000).unref();
      });
    }
    await rm(dir, { recursive: true, force: true });
  };
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`docker-registry (${name}) exited with code ${code}: ${stderr.trim()}`))),
  );
  try {
    await Promise.race([waitForHttp(`${url}/v2/`, { what: `docker-registry (${name})`, timeoutMs: 20_000 }), exited]);
  } catch (error) {
    await stop();
    throw error;
  }
  exited.catch(() => {});
  return { host: `127.0.0.1:${port}`, url, dir, stop };
}
