// Starts the real-registry harness once for all integration tests and hands its addresses,
// credentials and truth to them through Vitest's provide/inject.
import type { TestProject } from 'vitest/node';
import { startHarness, type HarnessInfo } from '../support/harness';

declare module 'vitest' {
  export interface ProvidedContext {
    harness: HarnessInfo;
  }
}

export default async function setup(project: TestProject) {
  const harness = await startHarness();
  project.provide('harness', harness.info);
  return async () => {
    await harness.stop();
  };
}
