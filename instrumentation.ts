// Next.js runs `register` once when the server starts: the configuration is read and checked
// here, so a bad environment variable stops start-up with one line naming it, instead of
// surfacing as an error on the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { getServerConfig } = await import('./lib/env');
  try {
    getServerConfig();
  } catch (error) {
    console.error(`tagscope: ${(error as Error).message}`);
    process.exit(1);
  }
}
