#!/usr/bin/env node
// The system programs the tests need, in one table, and the step that makes sure they are on
// this machine before any test starts: `npm test` runs it first for every program, and
// `test:integration`, `test:e2e` and their global setups run it for their own share. As root
// it installs what is missing with apt-get (Debian's packages); otherwise it stops in one line
// naming the apt-get command to run. It never hangs on a prompt (DEBIAN_FRONTEND=noninteractive,
// no stdin).
//
// Usage: ensure-system-packages.mjs [--for integration|e2e] [--dry-run] [program …]
//   No program and no --for: every program in the table.
//   --dry-run: prints the apt-get commands instead of running them (the setup-scripts test).

import { execFileSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Program → the Debian package that ships it, and the test suites that run it. A program is
 * looked up on PATH, except Chromium, which Playwright launches by path (playwright.config.ts).
 */
const systemPackages = {
  chromium: { pkg: 'chromium', for: ['e2e'], path: process.env.TAGSCOPE_CHROMIUM ?? '/usr/bin/chromium' },
  'docker-registry': { pkg: 'docker-registry', for: ['integration', 'e2e'] },
  htpasswd: { pkg: 'apache2-utils', for: ['integration', 'e2e'] },
  openssl: { pkg: 'openssl', for: ['integration', 'e2e'] },
  'redis-server': { pkg: 'redis-server', for: ['integration'] },
};
const suites = ['integration', 'e2e'];

function fail(message) {
  console.error(`ensure-system-packages: ${message}`);
  process.exit(1);
}

function executable(file) {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Whether a program is here: its fixed path, or a name found on PATH (no shell involved). */
function has(program) {
  const fixed = systemPackages[program]?.path;
  if (fixed) return executable(fixed);
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir !== '' && executable(path.join(dir, program)));
}

function parseArguments(argv) {
  const options = { dryRun: false, programs: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--dry-run') options.dryRun = true;
    else if (arg === '--for') {
      const suite = argv[++i];
      if (!suites.includes(suite)) fail(`--for takes one of ${suites.join(', ')}, not ${suite ?? 'nothing'}`);
      options.programs.push(...Object.keys(systemPackages).filter((name) => systemPackages[name].for.includes(suite)));
    } else options.programs.push(arg);
  }
  if (options.programs.length === 0) options.programs = Object.keys(systemPackages);
  options.programs = [...new Set(options.programs)];
  return options;
}

const { dryRun, programs } = parseArguments(process.argv.slice(2));
const unknown = programs.filter((name) => !(name in systemPackages));
if (unknown.length > 0) fail(`unknown program(s) ${unknown.join(', ')}; known: ${Object.keys(systemPackages).join(', ')}`);

const missing = programs.filter((name) => !has(name));
if (missing.length === 0) process.exit(0);

const pkgs = [...new Set(missing.map((name) => systemPackages[name].pkg))];
const want = `the tests need ${missing.join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not installed`;
if (!has('apt-get')) fail(`${want}, and this machine has no apt-get: install the Debian package(s) ${pkgs.join(' ')} or their equivalent, then run again`);
if (typeof process.getuid === 'function' && process.getuid() !== 0) {
  fail(`${want}; installing needs root: run "sudo apt-get update && sudo apt-get install -y ${pkgs.join(' ')}", then run again`);
}

const commands = [
  { args: ['update', '-qq'], timeout: 300_000 },
  { args: ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], timeout: 900_000 },
];
if (dryRun) {
  for (const { args } of commands) console.log(`ensure-system-packages: would run: apt-get ${args.join(' ')}`);
  process.exit(0);
}
console.log(`ensure-system-packages: ${want}; installing ${pkgs.join(' ')} with apt-get …`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const { args, timeout } of commands) {
  try {
    execFileSync('apt-get', args, { env, stdio: ['ignore', 'ignore', 'inherit'], timeout });
  } catch (error) {
    fail(`"apt-get ${args.join(' ')}" failed: ${error.message.split('\n')[0]}`);
  }
}
const still = missing.filter((name) => !has(name));
const where = (name) => systemPackages[name].path ?? 'PATH';
if (still.length > 0) fail(`apt-get installed ${pkgs.join(' ')}, but ${still.map((name) => `${name} is not on ${where(name)}`).join(', ')}`);
console.log(`ensure-system-packages: installed ${pkgs.join(' ')}`);
