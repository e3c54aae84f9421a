// Identical requests in flight run once: many browsers opening one repository cost one
// upstream fetch per URL. The shared work is cancelled only when every caller waiting for it
// has left — one viewer closing the tab must not fail another's view, and the last one
// closing must stop the fetch rather than leave it running for nobody.

interface Running {
  promise: Promise<unknown>;
  controller: AbortController;
  /** Callers still waiting; a caller without a signal waits for good. */
  waiting: number;
}

export class SharedWork {
  private readonly running = new Map<string, Running>();

  /** `onJoin`: told each time a caller joins work already in flight instead of starting its own (metrics). */
  constructor(private readonly onJoin?: () => void) {}

  /** Runs `load` once for concurrent callers of `key`; `signal` is this caller's cancellation. */
  run<T>(key: string, load: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    let entry = this.running.get(key);
    if (!entry) {
      const controller = new AbortController();
      const started: Running = { promise: Promise.resolve(), controller, waiting: 0 };
      started.promise = load(controller.signal).finally(() => {
        if (this.running.get(key) === started) this.running.delete(key);
      });
      // Rejections reach the callers through their own promises below.
      started.promise.catch(() => {});
      this.running.set(key, started);
      entry = started;
    } else {
      this.onJoin?.();
    }
    const shared = entry;
    shared.waiting++;
    if (!signal) return shared.promise as Promise<T>;
    return new Promise<T>((resolve, reject) => {
      const leave = () => {
        reject(signal.reason);
        if (--shared.waiting === 0) {
          // Nobody waits any more: stop the work, and let the next caller start afresh.
          if (this.running.get(key) === shared) this.running.delete(key);
          shared.controller.abort(signal.reason);
        }
      };
      signal.addEventListener('abort', leave, { once: true });
      (shared.promise as Promise<T>).then(
        (value) => {
          signal.removeEventListener('abort', leave);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', leave);
          reject(error);
        },
      );
    });
  }

  /** Keys in flight (tests). */
  get size(): number {
    return this.running.size;
  }
}
