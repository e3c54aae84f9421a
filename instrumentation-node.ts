// Start-up on Node (imported by instrumentation.ts only there): the configuration is read and
// checked, so a bad environment variable stops the server with one line naming it.
import { getServerConfig } from './lib/env';

try {
  getServerConfig();
} catch (error) {
  console.error(`tagscope: ${(error as Error).message}`);
  process.exit(1);
}
