#!/usr/bin/env node
// The system programs the tests need, in one table, and the step that makes sure they are on
// this machine before any test starts: `npm test` runs it first for every program, and
// `test:integration`, `test:e2e` and their global setups run it for their own share. As root
// it installs what is missing with apt-get (Debian's packages); otherwise it stops in one line
// naming the apt-get command to run. It never hangs on a prompt (DEBIAN_FRONTEND=noninteractive,
// no stdin).
//
// Usage: ensure-system-packages.mjs [--for integration|e2e] [--dry-run] [--where] [program …]
//   No program and no --for: every program in the table.
//   --dry-run: prints the apt-get commands instead of running them (the setup-scripts test).
//   --where: once they are here, prints each program's absolute path, one a line, and nothing
//   else on stdout (its progress goes to stderr): how the tests find PostgreSQL's programs.

import { execFileSync } from 'node:child_process';
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * PostgreSQL's server programs: Debian keeps them off PATH, one folder per major version
 * (/usr/lib/postgresql/15/bin), and `apt-get install postgresql` brings the current major, so
 * the newest folder there is used; TAGSCOPE_POSTGRESQL_BIN names another (`pg_config --bindir`
 * of a PostgreSQL built or installed elsewhere). Read at each look-up: an install adds it.
 */
function postgresqlBin() {
  if (process.env.TAGSCOPE_POSTGRESQL_BIN) return process.env.TAGSCOPE_POSTGRESQL_BIN;
  const root = '/usr/lib/postgresql';
  let majors;
  try {
    majors = readdirSync(root).filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  const newest = majors.sort((a, b) => Number(b) - Number(a))[0];
  return newest === undefined ? null : path.join(root, newest, 'bin');
}

/**
 * Program → the Debian package that ships it, and the test suites that run it. A program is
 * looked up on PATH, except Chromium, which Playwright launches by path (playwright.config.ts),
 * and PostgreSQL's, looked up in the one folder postgresqlBin names, so both come from one
 * version.
 */
const systemPackages = {
  chromium: { pkg: 'chromium', for: ['e2e'], path: process.env.TAGSCOPE_CHROMIUM ?? '/usr/bin/chromium' },
  'docker-registry': { pkg: 'docker-registry', for: ['integration', 'e2e'] },
  htpasswd: { pkg: 'apache2-utils', for: ['integration', 'e2e'] },
  initdb: { pkg: 'postgresql', for: ['integration'], dir: postgresqlBin },
  openssl: { pkg: 'openssl', for: ['integration', 'e2e'] },
  postgres: { pkg: 'postgresql', for: ['integration'], dir: postgresqlBin },
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

/** The first of `dirs` holding the program, as an absolute path; null when none does. */
function findIn(dirs, program) {
  const found = dirs.find((dir) => dir && executable(path.join(dir, program)));
  return found === undefined ? null : path.resolve(found, program);
}

const onPath = (program) => findIn((process.env.PATH ?? '').split(path.delimiter), program);

/** Where a program of the table is (no shell involved); null when it is not here. */
function locate(program) {
  const { path: fixed, dir } = systemPackages[program];
  if (fixed) return executable(fixed) ? fixed : null;
  return dir ? findIn([dir()], program) : onPath(program);
}

/** Where a program was looked for, for the message when it is still not there. */
function notFound(program) {
  const { path: fixed, dir } = systemPackages[program];
  if (fixed) return `${program} is not at ${fixed}`;
  if (dir) return `${program} is not in ${dir() ?? '/usr/lib/postgresql/<version>/bin'}`;
  return `${program} is not on PATH`;
}

function parseArguments(argv) {
  const options = { dryRun: false, where: false, programs: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--dry-run') options.dryRun = true;
    else if (arg === '--where') options.where = true;
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

const { dryRun, where, programs } = parseArguments(process.argv.slice(2));
const unknown = programs.filter((name) => !(name in systemPackages));
if (unknown.length > 0) fail(`unknown program(s) ${unknown.join(', ')}; known: ${Object.keys(systemPackages).join(', ')}`);
// With --where, stdout carries the paths alone.
const say = where ? console.error : console.log;

/** Every program is here: with --where, says where, then ends. */
function done() {
  if (where) console.log(programs.map(locate).join('\n'));
  process.exit(0);
}

const missing = programs.filter((name) => locate(name) === null);
if (missing.length === 0) done();

const pkgs = [...new Set(missing.map((name) => systemPackages[name].pkg))];
const want = `the tests need ${missing.join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not installed`;
if (!onPath('apt-get')) fail(`${want}, and this machine has no apt-get: install the Debian package(s) ${pkgs.join(' ')} or their equivalent, then run again`);
if (typeof process.getuid === 'function' && process.getuid() !== 0) {
  fail(`${want}; installing needs root: run "sudo apt-get update && sudo apt-get install -y ${pkgs.join(' ')}", then run again`);
}

const commands = [
  { args: ['update', '-qq'], timeout: 300_000 },
  { args: ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], timeout: 900_000 },
];
if (dryRun) {
  for (const { args } of commands) say(`ensure-system-packages: would run: apt-get ${args.join(' ')}`);
  process.exit(0);
}
say(`ensure-system-packages: ${want}; installing ${pkgs.join(' ')} with apt-get …`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const { args, timeout } of commands) {
  try {
    execFileSync('apt-get', args, { env, stdio: ['ignore', 'ignore', 'inherit'], timeout });
  } catch (error) {
    fail(`"apt-get ${args.join(' ')}" failed: ${error.message.split('\n')[0]}`);
  }
}
const still = missing.filter((name) => locate(name) === null);
if (still.length > 0) fail(`apt-get installed ${pkgs.join(' ')}, but ${still.map(notFound).join(', ')}`);
say(`ensure-system-packages: installed ${pkgs.join(' ')}`);
done();
