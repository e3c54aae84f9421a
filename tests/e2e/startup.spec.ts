// The production server checks its configuration when it starts (instrumentation.ts): a bad
// variable stops it with one line naming the variable, before any request is served.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { freePort } from '../support/ports';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..', '..');

test('a bad environment variable stops start-up in one line naming it', async () => {
  const port = await freePort();
  const failure = await run(process.execPath, [path.join(root, 'scripts', 'server.mjs')], {
    cwd: root,
    timeout: 60_000,
    env: { ...process.env, PORT: String(port), HOSTNAME: '127.0.0.1', NEXT_TELEMETRY_DISABLED: '1', TAGSCOPE_EXAMPLES: 'alpine,Not/Valid' },
  }).then(
    () => null,
    (error: { code: number; stderr: string }) => error,
  );
  expect(failure, 'the server started with an invalid TAGSCOPE_EXAMPLES').not.toBeNull();
  expect(failure!.code).toBe(1);
  expect(failure!.stderr).toMatch(/^tagscope: TAGSCOPE_EXAMPLES=alpine,Not\/Valid is not valid: "Not\/Valid" is not an image reference: .+$/m);
});
