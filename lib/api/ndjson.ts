// Streams events as NDJSON (one JSON object per line), always ending with {"type":"done"}.
// `no-transform` keeps `next start`'s compression from buffering the stream. A client that
// goes away stops the writing, and `onCancel` lets the producer stop its work too.

import { toApiError } from './errors';
import type { ApiErrorInfo, RepositoryEvent } from './types';

/** What every stream may carry besides its own events: a failure of the whole stream, and its end. */
type StreamEvent = { type: 'error'; error: ApiErrorInfo } | { type: 'done' };

export const NDJSON = 'application/x-ndjson';

export function wantsNdjson(request: Request): boolean {
  return (request.headers.get('accept') ?? '').toLowerCase().includes(NDJSON);
}

export function ndjsonResponse<E = RepositoryEvent>(produce: (emit: (event: E) => void) => Promise<unknown>, onCancel?: () => void): Response {
  const encoder = new TextEncoder();
  let open = true;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const emit = (event: E | StreamEvent) => {
        if (open) controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
      };
      try {
        await produce(emit);
      } catch (error) {
        emit({ type: 'error', error: toApiError(error).toJSON() });
      }
      emit({ type: 'done' });
      if (open) controller.close();
    },
    cancel() {
      open = false;
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
