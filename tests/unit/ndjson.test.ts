import { afterEach, describe, expect, it, vi } from 'vitest';
import { ndjsonResponse } from '@/lib/api/ndjson';
import type { Group, RepositoryEvent } from '@/lib/api/types';
import { getLogger } from '@/lib/server/log';

type Emit = (event: RepositoryEvent) => void;

const group = (digest: string, tags: string[]): RepositoryEvent => ({
  type: 'group',
  group: { digest, mediaType: null, kind: 'index', size: null, tags, platforms: [], attestations: [], signatures: [], artifactType: null, lastPushed: null } satisfies Group,
});
const tags: RepositoryEvent = { type: 'tags', repository: 'r', tags: ['a', 'b'], truncated: false };
/** The next turn of the event loop: a batch waits for it. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** The stream's chunks, each as its events. */
async function chunksOf(response: Response): Promise<RepositoryEvent[][]> {
  const chunks: RepositoryEvent[][] = [];
  const decoder = new TextDecoder();
  for await (const chunk of response.body!) {
    const text = decoder.decode(chunk);
    expect(text.endsWith('\n')).toBe(true); // a chunk never cuts a line
    chunks.push(text.trimEnd().split('\n').map((line) => JSON.parse(line) as RepositoryEvent));
  }
  return chunks;
}

describe('ndjsonResponse: a batch of lines per turn of the event loop', () => {
  afterEach(() => vi.restoreAllMocks());

  it('sends the events of one turn as one chunk, the next turn’s as the next, and done last', async () => {
    const chunks = await chunksOf(
      ndjsonResponse(async (emit) => {
        emit(tags);
        emit(group('sha256:1', ['a']));
        await nextTurn();
        emit(group('sha256:2', ['b']));
      }),
    );
    expect(chunks).toEqual([[tags, group('sha256:1', ['a'])], [group('sha256:2', ['b']), { type: 'done' }]]);
  });

  it.each<[string, (emit: Emit) => void, RepositoryEvent[]]>([
    [
      'a group sent again in the same turn goes once, as its latest, where it first stood',
      (emit) => {
        emit(group('sha256:1', ['a']));
        emit({ type: 'error', tag: 'x', error: { code: 'MANIFEST_UNKNOWN', message: 'gone' } });
        emit(group('sha256:1', ['a', 'b']));
      },
      [group('sha256:1', ['a', 'b']), { type: 'error', tag: 'x', error: { code: 'MANIFEST_UNKNOWN', message: 'gone' } }],
    ],
    [
      'progress in the same turn goes once, as its latest',
      (emit) => {
        emit({ type: 'progress', resolved: 1, total: 3 });
        emit(group('sha256:1', ['a']));
        emit({ type: 'progress', resolved: 3, total: 3 });
      },
      [{ type: 'progress', resolved: 3, total: 3 }, group('sha256:1', ['a'])],
    ],
    [
      'other groups, and events of other kinds, all go',
      (emit) => {
        emit(group('sha256:1', ['a']));
        emit(group('sha256:2', ['b']));
        emit({ type: 'repository', info: null, pulls: null });
        emit({ type: 'repository', info: null, pulls: null });
      },
      [group('sha256:1', ['a']), group('sha256:2', ['b']), { type: 'repository', info: null, pulls: null }, { type: 'repository', info: null, pulls: null }],
    ],
  ])('%s', async (_what, produce, expected) => {
    const chunks = await chunksOf(ndjsonResponse(async (emit) => produce(emit)));
    expect(chunks.flat()).toEqual([...expected, { type: 'done' }]);
  });

  it('sends a group again when it grows in a later turn: the latest wins on the client', async () => {
    const chunks = await chunksOf(
      ndjsonResponse(async (emit) => {
        emit(group('sha256:1', ['a']));
        await nextTurn();
        emit(group('sha256:1', ['a', 'b']));
      }),
    );
    expect(chunks.flat()).toEqual([group('sha256:1', ['a']), group('sha256:1', ['a', 'b']), { type: 'done' }]);
  });

  it('sends a group as it was when emitted, not as the producer changed it afterwards', async () => {
    const chunks = await chunksOf(
      ndjsonResponse(async (emit) => {
        const event = group('sha256:1', ['a']) as Extract<RepositoryEvent, { type: 'group' }>;
        emit(event);
        event.group.tags.push('b');
      }),
    );
    expect(chunks.flat()[0]).toEqual(group('sha256:1', ['a']));
  });

  it('sends a turn that grows past 256 Ki characters without waiting for the turn to end', async () => {
    const many = Array.from({ length: 400 }, (_, i) => group(`sha256:${i}`, [`${i}`.padEnd(1000, '.')]));
    const chunks = await chunksOf(ndjsonResponse(async (emit) => many.forEach(emit)));
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.flat()).toEqual([...many, { type: 'done' }]);
  });

  it('ends with an error event, then done, when the producer fails', async () => {
    const logged = vi.spyOn(getLogger(), 'error').mockImplementation(() => {}); // the unexpected error is logged on the server
    const chunks = await chunksOf(
      ndjsonResponse(async (emit) => {
        emit(tags);
        throw new Error('boom');
      }),
    );
    expect(chunks.flat()).toEqual([tags, { type: 'error', error: { code: 'INTERNAL', message: expect.any(String) } }, { type: 'done' }]);
    expect(logged).toHaveBeenCalledWith({ err: expect.objectContaining({ message: 'boom' }) }, 'unexpected error');
  });

  it('stops writing and tells the producer when the client goes away', async () => {
    const onCancel = vi.fn();
    let emit: Emit = () => {};
    let finish = () => {};
    const response = ndjsonResponse(
      (e) => {
        emit = e;
        emit(tags);
        return new Promise<void>((resolve) => (finish = resolve));
      },
      onCancel,
    );
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(() => emit(group('sha256:1', ['a']))).not.toThrow();
    finish();
    await nextTurn();
  });
});
