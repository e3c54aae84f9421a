// What the global setup started, as the tests see it.
import type { HarnessInfo } from '../support/harness';

export interface E2EEnvironment {
  harness: HarnessInfo;
  fronts: { denied: string; rateLimited: string; altered: string; foreignLink: string; slow: string; slowPage: string; hub: string };
  /** Docker Hub's web API (the emulator) describing `fronts.hub`'s demo repository. */
  hubApi: string;
  unreachable: string;
}

export function e2eEnvironment(): E2EEnvironment {
  const text = process.env.TAGSCOPE_E2E_ENVIRONMENT;
  if (!text) throw new Error('TAGSCOPE_E2E_ENVIRONMENT is not set: run the tests with "npm run test:e2e"');
  return JSON.parse(text) as E2EEnvironment;
}
