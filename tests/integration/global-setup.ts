// Starts the real-registry harness once for all integration tests and hands its addresses,
// credentials and truth to them through Vitest's provide/inject. First the system programs
// they run are made sure of, so a missing one stops the run here, in one line.
import type { TestProject } from 'vitest/node';
import { startHarness, type HarnessInfo } from '../support/harness';
import { ensureSystemPackages } from '../support/harness/registry-process';

declare module 'vitest' {
  export interface ProvidedContext {
    harness: HarnessInfo;
  }
}

export default async function setup(project: TestProject) {
  ensureSystemPackages('--for', 'integration');
  const harness = await startHarness();
  project.provide('harness', harness.info);
  return async () => {
    await harness.stop();
  };
}
