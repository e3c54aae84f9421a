// How long the server takes to answer /api/health while a test loads it, measured from a small
// process of its own: the test process also serves the hostile registry, so its event loop
// lags with the flood, and a poller in it would count its own lag as the server's.
import { spawn } from 'node:child_process';
import { trackChild } from './harness/processes';

export interface HealthWatch {
  /** Stops polling: each answer's time in ms, in order, and every failure in words. */
  stop(): Promise<{ times: number[]; failures: string[] }>;
}

// Plain JS for `node -e`: polls until stdin closes, then prints what it saw as one JSON line.
const poller = `
const [url, everyMs] = process.argv.slice(1);
const times = [];
const failures = [];
let stopped = false;
process.stdin.on('end', () => (stopped = true)).resume();
(async () => {
  while (!stopped) {
    const started = performance.now();
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (!response.ok) failures.push('status ' + response.status);
    } catch (error) {
      failures.push(error.message);
    }
    times.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, Number(everyMs)));
  }
  process.stdout.write(JSON.stringify({ times, failures }) + '\\n');
})();
`;

/** Starts polling `${serverUrl}/api/health` every `everyMs`,. */
export async function watchHealth(serverUrl: string, everyMs = 100): Promise<HealthWatch> {
  const child = spawn(process.execPath, ['-e', poller, `${serverUrl}/api/health`, String(everyMs)], { stdio: ['pipe', 'pipe', 'pipe'] });
  trackChild(child);
  let output = '';
  let errors = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    async stop() {
      child.stdin.end();
      const code = await exited;
      if (code !== 0 || !output.trim()) throw new Error(`the health poller exited with code ${code}: ${errors || output}`);
      return JSON.parse(output) as { times: number[]; failures: string[] };
    },
  };
}
