// Start-up on Node (imported by instrumentation.ts only there): the configuration is read and
// checked, so a bad environment variable stops the server with one line naming it; then tag
// history opens its database (a schema newer than this code stops start-up the same way).
import { getServerConfig } from './lib/server/env';
import { startHistory } from './lib/history/start';

export async function startServer(): Promise<void> {
  try {
    await startHistory(getServerConfig());
  } catch (error) {
    console.error(`tagscope: ${(error as Error).message}`);
    process.exit(1);
  }
}
