// Reads an NDJSON body as it arrives: each complete line is one JSON value, handed over in
// the batches the network delivers. Used by the pages' stream reader and the benchmark.

export async function readNdjson<T>(body: ReadableStream<BufferSource>, onItems: (items: T[]) => void): Promise<void> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += value;
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    const items = lines.filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as T);
    if (items.length > 0) onItems(items);
  }
  if (buffer.trim() !== '') onItems([JSON.parse(buffer) as T]);
}
