// What `npm run demo` serves, started programmatically: the harness's open registry with the
// sample repositories, a 2,000-tag repository beside them, and the production build pointed at
// it. `npm run demo` shows it to a person; `npm run lighthouse` audits its pages.

import { startHarness, type Harness } from './harness';
import { Pusher } from './harness/pusher';
import { demoExamples, seedScaleRepository, type ScaleOptions, type Truth } from './harness/seed';
import { startNextServer, type RunningServer, type ServerOptions } from './next-server';

/** The big repository: the shape of `npm run bench`'s default (2,000 tags over 300 four-platform indexes). */
export const SCALE_REPOSITORY = { path: 'library/scale', tags: 2000, indexes: 300, platformsPerIndex: 4 } as const satisfies ScaleOptions & { path: string };

export interface DemoEnvironment {
  harness: Harness;
  /** `127.0.0.1:PORT` of the registry the pages name. */
  registryHost: string;
  /** The sample repository (library/demo). */
  demo: Truth;
  /** The 2,000-tag repository, pushed in the background after the server is up (~10–20 s); null when not asked for. */
  scale: Promise<Truth> | null;
  server: RunningServer;
  /** Another server on the same registry, with its own `env` (own caches); the caller stops it. */
  startServer(env?: Record<string, string | undefined>): Promise<RunningServer>;
  stop(): Promise<void>;
}

export interface DemoOptions extends ServerOptions {
  /** Push the 2,000-tag repository too (default true). */
  scale?: boolean;
  /** The server's environment beyond the registry it may reach (startNextServer's `env`). */
  env?: Record<string, string | undefined>;
}

export async function startDemoEnvironment(options: DemoOptions = {}): Promise<DemoEnvironment> {
  const { scale: withScale = true, env = {}, ...serverOptions } = options;
  const harness = await startHarness({ openOnly: true });
  const { host, url } = harness.info.open;
  const startServer = (more: Record<string, string | undefined> = {}, where: ServerOptions = {}) =>
    // The home page's examples point at the demo registry, so they work offline.
    startNextServer({ TAGSCOPE_EXAMPLES: demoExamples(harness.info.truth.demo).join(','), ...env, ...more, TAGSCOPE_INSECURE_REGISTRIES: host }, where);
  let server: RunningServer;
  try {
    server = await startServer({}, serverOptions);
  } catch (error) {
    await harness.stop();
    throw error;
  }
  let stopping = false;
  const { path: scalePath, ...layout } = SCALE_REPOSITORY;
  const scale = withScale
    ? seedScaleRepository(new Pusher({ url }), host, scalePath, { ...layout, concurrency: 16 }).catch((error: unknown) => {
        // Stopped while pushing: the registry went away under the pushes. That is no failure,
        // and nothing is left to wait for the repository, so the promise never settles.
        if (stopping) return new Promise<never>(() => {});
        throw error;
      })
    : null;
  return {
    harness,
    registryHost: host,
    demo: harness.info.truth.demo,
    scale,
    server,
    startServer: (more) => startServer(more),
    stop: async () => {
      stopping = true;
      await server.stop();
      await harness.stop();
    },
  };
}
