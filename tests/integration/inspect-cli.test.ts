// `npm run inspect -- <reference>` prints what the client resolves, for people debugging.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { insecureRegistries } from '../support/harness';

const harness = inject('harness');
const root = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

async function inspect(reference: string, env: Record<string, string> = {}) {
  return run(path.join(root, 'node_modules/.bin/tsx'), ['scripts/inspect.ts', reference], {
    cwd: root,
    env: { ...process.env, TAGSCOPE_INSECURE_REGISTRIES: insecureRegistries(harness), ...env },
  }).catch((error: { stdout: string; stderr: string; code: number }) => error);
}

describe('npm run inspect', () => {
  it('prints the index digest, each platform digest and image ID', async () => {
    const truth = harness.truth.demo.tags['3.13']!;
    const { stdout } = await inspect(`${harness.truth.demo.repository}:3.13`);
    expect(stdout).toContain(`digest      ${truth.digest}`);
    for (const platform of truth.platforms) {
      expect(stdout).toContain(platform.digest);
      expect(stdout).toContain(platform.configDigest);
      expect(stdout).toContain(platform.platform);
    }
    for (const attestation of truth.attestations) expect(stdout).toContain(`attestation ${attestation.digest}`);
  });

  it('uses REGISTRY_AUTH_FILE for a private repository', async () => {
    const { stdout } = await inspect(`${harness.truth.tokenPrivate.repository}:1.0`, { REGISTRY_AUTH_FILE: harness.authFile });
    expect(stdout).toContain(harness.truth.tokenPrivate.tags['1.0']!.digest);
  });

  it('says what went wrong in one line and exits 1', async () => {
    const result = (await inspect(`${harness.truth.demo.repository}:missing`)) as { stderr: string; code: number };
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(`MANIFEST_UNKNOWN: library/demo:missing was not found on ${harness.open.host}`);
  });

  it('rejects an invalid reference with the reason', async () => {
    const result = (await inspect('Not/Valid')) as { stderr: string; code: number };
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('repository name must be lowercase');
  });
});
