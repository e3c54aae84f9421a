#!/usr/bin/env node
// Makes sure the system programs the tests need are on this machine, installing Debian's
// packages with apt-get when they are missing. Usage: ensure-system-packages.mjs chromium …
// Fails with one line saying what is missing and why it could not be installed; never hangs
// on a prompt (DEBIAN_FRONTEND=noninteractive, no stdin).

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The program each name stands for, and the Debian package that ships it. */
const PACKAGES = {
  chromium: { binary: '/usr/bin/chromium', pkg: 'chromium' },
  'docker-registry': { binary: 'docker-registry', pkg: 'docker-registry' },
  htpasswd: { binary: 'htpasswd', pkg: 'apache2-utils' },
  'redis-server': { binary: 'redis-server', pkg: 'redis-server' },
  openssl: { binary: 'openssl', pkg: 'openssl' },
};

function has(binary) {
  if (binary.startsWith('/')) return existsSync(binary);
  return spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' }).status === 0;
}

function fail(message) {
  console.error(`ensure-system-packages: ${message}`);
  process.exit(1);
}

const names = process.argv.slice(2);
const unknown = names.filter((name) => !(name in PACKAGES));
if (unknown.length > 0) fail(`unknown program(s) ${unknown.join(', ')}; known: ${Object.keys(PACKAGES).join(', ')}`);

const missing = names.filter((name) => !has(PACKAGES[name].binary));
if (missing.length === 0) process.exit(0);

const pkgs = [...new Set(missing.map((name) => PACKAGES[name].pkg))];
const want = `${missing.join(', ')} (Debian package${pkgs.length > 1 ? 's' : ''} ${pkgs.join(' ')})`;
if (!has('apt-get')) fail(`${want} missing and this machine has no apt-get: install ${pkgs.join(' ')} and run again`);
if (typeof process.getuid === 'function' && process.getuid() !== 0) {
  fail(`${want} missing; run "sudo apt-get install -y ${pkgs.join(' ')}" (installing needs root)`);
}

console.log(`ensure-system-packages: installing ${pkgs.join(' ')} with apt-get …`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
try {
  execFileSync('apt-get', ['update', '-qq'], { env, stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 900_000,
  });
} catch (error) {
  fail(`apt-get could not install ${pkgs.join(' ')}: ${error.message.split('\n')[0]}`);
}
const still = missing.filter((name) => !has(PACKAGES[name].binary));
if (still.length > 0) fail(`apt-get finished but ${still.join(', ')} is still not found`);
console.log(`ensure-system-packages: installed ${pkgs.join(' ')}`);
