// Child processes the harness started are killed when the test process exits, however it
// exits, so no registry outlives a crashed or interrupted run.
import type { ChildProcess } from 'node:child_process';

const children = new Set<ChildProcess>();
let installed = false;

export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (installed) return;
  installed = true;
  process.once('exit', () => {
    for (const running of children) running.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const running of children) running.kill('SIGKILL');
      process.exit(130);
    });
  }
}
