// A per-host concurrency limit whose queue is ordered by priority (lower first, FIFO within a
// priority), so the requests for the tags a person sees first overtake a long queue of HEADs
// for the rest of a big repository.

interface Waiter {
  priority: number;
  order: number;
  start: () => void;
}

export class PriorityLimiter {
  private active = 0;
  private readonly queue: Waiter[] = [];
  private counter = 0;

  constructor(private readonly concurrency: number) {}

  get pending(): number {
    return this.queue.length;
  }

  /** Runs `task` when a place is free; a cancelled waiter leaves the line without running. */
  async run<T>(priority: number, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    if (this.active >= this.concurrency) {
      await new Promise<void>((start, reject) => {
        const waiter: Waiter = { priority, order: this.counter++, start: () => (signal?.removeEventListener('abort', leave), start()) };
        const leave = () => {
          const at = this.queue.indexOf(waiter);
          if (at !== -1) this.queue.splice(at, 1);
          reject(signal!.reason);
        };
        signal?.addEventListener('abort', leave, { once: true });
        this.enqueue(waiter);
      });
    } else {
      this.active++;
    }
    try {
      return await task();
    } finally {
      const next = this.queue.shift();
      if (next) next.start();
      else this.active--;
    }
  }

  private enqueue(waiter: Waiter): void {
    // Binary search for the first waiter that should run after this one.
    let low = 0;
    let high = this.queue.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const other = this.queue[mid]!;
      if (other.priority < waiter.priority || (other.priority === waiter.priority && other.order < waiter.order)) low = mid + 1;
      else high = mid;
    }
    this.queue.splice(low, 0, waiter);
  }
}
