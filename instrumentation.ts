// Next.js runs `register` once when the server starts: the configuration is read and checked
// then (instrumentation-node.ts), so a bad environment variable stops start-up with one line
// naming it, instead of surfacing as an error on the first request. The Node-only code is in
// its own module, imported behind the runtime check as Next's instrumentation guide shows, so
// the edge build never compiles process.exit.
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') await (await import('./instrumentation-node')).startServer();
}
