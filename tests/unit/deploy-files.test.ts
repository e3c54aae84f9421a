// The Dockerfile and compose.yaml, read as Docker reads them: the image's runtime stage holds
// exactly the standalone entries tests/integration/standalone.test.ts serves from (one list,
// scripts/standalone-entries.mjs), runs as an unprivileged user and says how to check its health;
// compose wires Tagscope to its Redis and PostgreSQL.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { STANDALONE_DIR, STANDALONE_ENTRIES } from '@/scripts/standalone-entries.mjs';

const root = path.resolve(import.meta.dirname, '../..');

interface Instruction {
  keyword: string;
  args: string;
}

/** Instructions in order: comments dropped, `\` continuations joined (the Dockerfile reference). */
function parseDockerfile(text: string): Instruction[] {
  const lines = text.split('\n').filter((line) => !/^\s*#/.test(line));
  return lines
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

const instructions = parseDockerfile(readFileSync(path.join(root, 'Dockerfile'), 'utf8'));
const runtime = instructions.slice(instructions.findLastIndex((i) => i.keyword === 'FROM'));
const of = (keyword: string) => runtime.filter((i) => i.keyword === keyword).map((i) => i.args);

describe('the Dockerfile', () => {
  it('builds in stages, the runtime one on a slim Node.js 20 image', () => {
    expect(instructions.filter((i) => i.keyword === 'FROM').length).toBeGreaterThanOrEqual(3);
    expect(instructions.find((i) => i.keyword === 'ARG' && i.args.startsWith('NODE_IMAGE='))?.args).toMatch(/^NODE_IMAGE=node:20-(bookworm-)?slim$/);
    expect(runtime[0]!.args).toMatch(/^\$\{NODE_IMAGE\} AS runtime$/);
  });

  it('copies exactly the standalone entries into the runtime stage, from the build stage', () => {
    const copies = of('COPY').map((args) => {
      const [from, source, target] = args.split(/\s+/);
      expect(from).toBe('--from=build');
      return { source, target };
    });
    expect(copies).toEqual(STANDALONE_ENTRIES.map((entry) => ({ source: `/app/${STANDALONE_DIR}/${entry}`, target: `./${entry}` })));
  });

  it('runs as an unprivileged user, with the disk cache a volume it can write', () => {
    expect(of('USER')).toEqual(['node']);
    expect(of('WORKDIR')).toEqual(['/app']);
    expect(of('VOLUME')).toEqual(['/app/.data']);
    expect(of('RUN').join('\n')).toContain('chown node:node .data');
  });

  it('listens on PORT on every interface, exposes it, and starts server.js', () => {
    const env = of('ENV').join(' ');
    expect(env).toMatch(/\bPORT=3000\b/);
    expect(env).toMatch(/\bHOSTNAME=0\.0\.0\.0\b/);
    expect(of('EXPOSE')).toEqual(['3000']);
    expect(of('CMD')).toEqual(['["node", "server.js"]']);
  });

  it('checks its health at /api/health with Node itself (no curl in the slim image)', () => {
    const [healthcheck] = of('HEALTHCHECK');
    expect(healthcheck).toMatch(/CMD \["node", "-e", ".*\/api\/health/);
  });
});

describe('compose.yaml', () => {
  const compose = readFileSync(path.join(root, 'compose.yaml'), 'utf8');
  // No YAML parser among the dependencies: each service's block, by its two-space indentation.
  const service = (name: string) => compose.match(new RegExp(`^  ${name}:\\n((?:    .*\\n|\\s*\\n)*)`, 'm'))?.[1] ?? '';

  it.each([
    ['REDIS_URL', /^\s+REDIS_URL: redis:\/\/redis:6379$/m],
    ['DATABASE_URL', /^\s+DATABASE_URL: postgres:\/\/tagscope:.*@postgres:5432\/tagscope$/m],
  ])('wires %s to its service', (_, line) => {
    expect(service('tagscope')).toMatch(line);
  });

  it.each(['tagscope', 'redis', 'postgres'])('gives %s a named volume, and the backing services a healthcheck', (name) => {
    expect(service(name)).toMatch(new RegExp(`^      - ${name}-data:`, 'm'));
    if (name !== 'tagscope') expect(service(name)).toMatch(/^    healthcheck:\n      test: /m);
    expect(compose).toMatch(new RegExp(`^  ${name}-data:$`, 'm'));
  });
});
