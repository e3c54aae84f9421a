// Through the production server: when the client of a repository view goes away, the view's
// requests to the registry stop (when they did not, 11,341 HEADs went out in the 30 s after an
// aborted view). A hostile registry of 400 slow tags, its own server, a stream read until the first
// group and then dropped: as it is, and compressed by the server (scripts/ndjson-compression.mjs).
import { expect, test } from '@playwright/test';
import { startHostileRegistry, type HostileRegistry } from '../support/harness/hostile';
import { startNextServer, type RunningServer } from '../support/next-server';

let hostile: HostileRegistry;
let server: RunningServer;
// [Accept-Encoding, the coding answered]; Node's fetch decodes either, as a browser does.
const ENCODINGS = [
  ['identity', undefined],
  ['gzip', 'gzip'],
  ['br', 'br'],
] as const;

test.beforeAll(async () => {
  hostile = await startHostileRegistry();
  const tags = Array.from({ length: 400 }, (_, i) => `v${i}`);
  for (const [acceptEncoding] of ENCODINGS) {
    for (const tag of tags) hostile.putImage(`leave/${acceptEncoding}`, `leave ${acceptEncoding} ${tag}`, [tag]);
    hostile.setTagList(`leave/${acceptEncoding}`, () => ({ body: JSON.stringify({ tags }) }));
  }
  hostile.delayMs = 25;
  server = await startNextServer({ TAGSCOPE_INSECURE_REGISTRIES: hostile.host, TAGSCOPE_CACHE_DIR: `/tmp/tagscope-cancel-${process.pid}` });
});

test.afterAll(async () => {
  await server?.stop();
  await hostile?.stop();
});

for (const [acceptEncoding, coding] of ENCODINGS) {
  test(`a dropped NDJSON stream stops the view's upstream requests (Accept-Encoding: ${acceptEncoding})`, async () => {
    const repository = `leave/${acceptEncoding}`;
    const left = new AbortController();
    const response = await fetch(`${server.url}/api/v1/repository?repository=${encodeURIComponent(`${hostile.host}/${repository}`)}`, {
      headers: { accept: 'application/x-ndjson', 'accept-encoding': acceptEncoding },
      signal: left.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-encoding') ?? undefined).toBe(coding);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('"type":"group"')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    expect(text).toContain('"type":"group"');
    left.abort();
    const droppedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // Requests already on the wire may land just after; nothing new starts once the server noticed.
    const late = hostile.log.filter((r) => r.at > droppedAt + 500 && r.path.includes(`/${repository}/`));
    expect(late).toEqual([]);
    expect(hostile.count(`/${repository}/manifests/`)).toBeLessThan(200); // 400 HEADs + 400 GETs if it went on
  });
}
