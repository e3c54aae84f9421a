// Streams events as NDJSON (one JSON object per line), always ending with {"type":"done"}.
// Lines leave in batches: the events of one turn of the event loop are one chunk, sent when the
// turn ends, so the server's compression (scripts/ndjson-compression.mjs) flushes once a batch,
// not once a line. Within a batch an event a newer one replaces is left out: a group sent again
// (its preview, then its platforms' sizes; a new alias) and progress keep only their latest
// line, in the place of the first ("groups are keyed by digest, the latest wins": docs/api.md).
// `no-transform` keeps proxies from buffering or re-encoding the stream.
// A client that goes away stops the writing, and `onCancel` lets the producer stop its work too.

import { toApiError } from './errors';
import type { ApiErrorInfo, RepositoryEvent } from './types';

/** What every stream may carry besides its own events: a failure of the whole stream, and its end. */
type StreamEvent = { type: 'error'; error: ApiErrorInfo } | { type: 'done' };

export const NDJSON = 'application/x-ndjson';

/**
 * A batch this long (in characters) leaves at once, whatever else the same turn emits. Long
 * enough that on a warm view a group's preview and its final form (~70 KB apart) share a batch.
 */
const BATCH_LENGTH = 256 * 1024;

export function wantsNdjson(request: Request): boolean {
  return (request.headers.get('accept') ?? '').toLowerCase().includes(NDJSON);
}

/**
 * What an event is about where a newer event about the same replaces it (a repository view's
 * group by digest, its progress); null where each one counts (every other event, of any stream).
 */
function replacedBy(event: { type: string }): string | null {
  if (event.type === 'group') return `group ${(event as Extract<RepositoryEvent, { type: 'group' }>).group.digest}`;
  if (event.type === 'progress') return 'progress';
  return null;
}

export function ndjsonResponse<E extends { type: string } = RepositoryEvent>(produce: (emit: (event: E) => void) => Promise<unknown>, onCancel?: () => void): Response {
  const encoder = new TextEncoder();
  let open = true;
  let lines: string[] = [];
  let length = 0;
  const slots = new Map<string, number>();
  let scheduled: NodeJS.Immediate | null = null;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = () => {
        if (scheduled) clearImmediate(scheduled);
        scheduled = null;
        if (open && lines.length > 0) controller.enqueue(encoder.encode(lines.join('')));
        lines = [];
        length = 0;
        slots.clear();
      };
      const emit = (event: E | StreamEvent) => {
        if (!open) return;
        // Serialized now: the producer may change a group it has sent, and must send it again to say so.
        const line = `${JSON.stringify(event)}\n`;
        const key = replacedBy(event);
        const slot = key === null ? undefined : slots.get(key);
        if (slot === undefined) {
          if (key !== null) slots.set(key, lines.length);
          lines.push(line);
        } else {
          length -= lines[slot]!.length;
          lines[slot] = line;
        }
        length += line.length;
        if (length >= BATCH_LENGTH) send();
        else scheduled ??= setImmediate(send);
      };
      try {
        await produce(emit);
      } catch (error) {
        emit({ type: 'error', error: toApiError(error).toJSON() });
      }
      emit({ type: 'done' });
      send();
      if (open) controller.close();
    },
    cancel() {
      open = false;
      if (scheduled) clearImmediate(scheduled);
      onCancel?.();
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': `${NDJSON}; charset=utf-8`,
      'cache-control': 'no-store, no-transform',
      'x-accel-buffering': 'no',
    },
  });
}
