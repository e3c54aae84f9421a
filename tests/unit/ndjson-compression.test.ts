// scripts/ndjson-compression.mjs on a loopback server, under Next's own compression middleware
// as next/dist/server/lib/router-server.js installs it after ours, and writing as Next writes a
// route handler's stream (next/dist/server/pipe-readable.js): headers flushed, then a write and
// a res.flush() per chunk.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseEncoding, compressNdjson } from '@/scripts/ndjson-compression.mjs';

type Middleware = (request: http.IncomingMessage, response: http.ServerResponse, next: () => void) => void;
const nextCompression = (createRequire(import.meta.url)('next/dist/compiled/compression') as () => Middleware)();

const NDJSON = 'application/x-ndjson; charset=utf-8';
const LINE_1 = `${JSON.stringify({ type: 'tags', repository: 'r', tags: ['a'.repeat(2000)], truncated: false })}\n`;
const LINE_2 = `${JSON.stringify({ type: 'done' })}\n`;

const servers: http.Server[] = [];
afterEach(() => servers.splice(0).forEach((server) => server.close()));

async function serve(handler: (response: http.ServerResponse) => Promise<void>): Promise<string> {
  const server = http.createServer((request, response) => {
    compressNdjson(request, response);
    nextCompression(request, response, () => {});
    void handler(response);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

/** One chunk as Next's pipe writes it. */
function writeChunk(response: http.ServerResponse, chunk: string) {
  if (!response.headersSent) response.flushHeaders();
  response.write(new TextEncoder().encode(chunk));
  (response as { flush?: () => void }).flush?.();
}

function decode(coding: string | undefined, wire: Buffer, partial = false): string {
  const Z = zlib.constants;
  if (coding === 'gzip') return zlib.gunzipSync(wire, partial ? { finishFlush: Z.Z_SYNC_FLUSH } : {}).toString();
  if (coding === 'br') return zlib.brotliDecompressSync(wire, partial ? { finishFlush: Z.BROTLI_OPERATION_FLUSH } : {}).toString();
  if (coding === undefined) return wire.toString();
  throw new Error(`unexpected coding ${coding}`);
}

interface Received {
  status: number;
  headers: http.IncomingHttpHeaders;
  wire: Buffer;
}

function get(url: string, headers: http.OutgoingHttpHeaders, method = 'GET', onData?: (wire: Buffer, headers: http.IncomingHttpHeaders) => void): Promise<Received> {
  return new Promise((resolve, reject) => {
    http
      .request(url, { method, headers }, (response) => {
        const parts: Buffer[] = [];
        response.on('data', (chunk: Buffer) => {
          parts.push(chunk);
          onData?.(Buffer.concat(parts), response.headers);
        });
        response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, wire: Buffer.concat(parts) }));
        response.on('error', reject);
      })
      .on('error', reject)
      .end();
  });
}

describe('chooseEncoding: the Accept-Encoding negotiation (RFC 9110 §12.5.3)', () => {
  it.each<[string | undefined, string | null]>([
    [undefined, null],
    ['', null],
    ['identity', null],
    ['deflate', null],
    ['gzip', 'gzip'],
    ['gzip, deflate', 'gzip'], // Node's fetch
    ['gzip, deflate, br, zstd', 'br'], // Chromium
    ['deflate, gzip, br, zstd', 'br'], // curl --compressed
    ['GZip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['gzip;q=0', null],
    ['gzip;q=1.0, br;q=0.5', 'gzip'],
    ['gzip; q=0.4, br ; q=0.6', 'br'],
    ['*', 'br'],
    ['*;q=0', null],
    ['br;q=0, *', 'gzip'],
    ['gzip;q=nonsense', null],
  ])('%j → %j', (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected);
  });
});

describe('compressNdjson: the NDJSON stream compressed, each write flushed', () => {
  it.each([
    ['gzip', 'gzip'],
    ['gzip, deflate, br, zstd', 'br'],
  ])('Accept-Encoding: %s → %s, and a write can be read before the next one is made', async (acceptEncoding, coding) => {
    let readLine1 = () => {};
    const line1Read = new Promise<void>((resolve) => (readLine1 = resolve));
    const url = await serve(async (response) => {
      response.setHeader('content-type', NDJSON);
      response.setHeader('cache-control', 'no-store, no-transform');
      writeChunk(response, LINE_1);
      // Unflushed, line 1 would sit in the encoder and this would never resolve.
      await Promise.race([line1Read, new Promise((_, reject) => setTimeout(() => reject(new Error('line 1 was not flushed')), 3_000))]).catch((error: Error) =>
        response.destroy(error),
      );
      writeChunk(response, LINE_2);
      response.end();
    });
    const received = await get(url, { accept: 'application/x-ndjson', 'accept-encoding': acceptEncoding }, 'GET', (wire, headers) => {
      if (decode(headers['content-encoding'], wire, true) === LINE_1) readLine1();
    });
    expect(received.headers['content-encoding']).toBe(coding);
    expect(received.headers['content-length']).toBeUndefined();
    expect(received.headers.vary).toMatch(/accept-encoding/i);
    expect(decode(coding, received.wire)).toBe(LINE_1 + LINE_2);
    expect(received.wire.length).toBeLessThan((LINE_1 + LINE_2).length / 4);
  });

  it.each([
    ['no Accept-Encoding', {}, 'GET', 200],
    ['no coding it has', { 'accept-encoding': 'deflate, identity' }, 'GET', 200],
    ['every coding refused', { 'accept-encoding': 'gzip;q=0, br;q=0' }, 'GET', 200],
    ['a HEAD request', { 'accept-encoding': 'gzip' }, 'HEAD', 200],
    ['an answer that is not 200', { 'accept-encoding': 'gzip' }, 'GET', 503],
  ])('sends NDJSON as it is for %s, saying it varies by Accept-Encoding', async (_what, headers, method, status) => {
    const url = await serve(async (response) => {
      response.statusCode = status;
      response.setHeader('content-type', NDJSON);
      writeChunk(response, LINE_1);
      response.end(LINE_2);
    });
    const received = await get(url, { accept: 'application/x-ndjson', ...headers }, method);
    expect(received.status).toBe(status);
    expect(received.headers['content-encoding']).toBeUndefined();
    expect(received.headers.vary).toMatch(/accept-encoding/i);
    expect(received.wire.toString()).toBe(method === 'HEAD' ? '' : LINE_1 + LINE_2);
  });

  it('compresses a body ended in one call: end(chunk)', async () => {
    const url = await serve(async (response) => {
      response.setHeader('content-type', NDJSON);
      response.end(LINE_1 + LINE_2);
    });
    const received = await get(url, { 'accept-encoding': 'gzip' });
    expect(received.headers['content-encoding']).toBe('gzip');
    expect(decode('gzip', received.wire)).toBe(LINE_1 + LINE_2);
  });

  it('leaves other answers to Next’s compression: JSON gzipped once, its Content-Length kept when not', async () => {
    const body = JSON.stringify({ tags: ['a'.repeat(2000)] });
    const url = await serve(async (response) => {
      response.setHeader('content-type', 'application/json');
      response.setHeader('content-length', Buffer.byteLength(body));
      response.end(body);
    });
    const compressed = await get(url, { 'accept-encoding': 'gzip, br' });
    expect(compressed.headers['content-encoding']).toBe('gzip'); // Next's 1.7.4 middleware has no br
    expect(decode('gzip', compressed.wire)).toBe(body);
    const plain = await get(url, {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-length']).toBe(String(Buffer.byteLength(body)));
  });

  it('lets the response close when the client goes away, and ignores what is written after', async () => {
    let closed = () => {};
    const responseClosed = new Promise<void>((resolve) => (closed = resolve));
    let afterClose: unknown = 'not written';
    const url = await serve(async (response) => {
      response.on('close', closed);
      response.setHeader('content-type', NDJSON);
      writeChunk(response, LINE_1);
      await responseClosed;
      try {
        writeChunk(response, LINE_2);
        response.end();
        afterClose = null;
      } catch (error) {
        afterClose = error;
      }
    });
    await new Promise<void>((resolve, reject) => {
      const request = http.get(url, { headers: { 'accept-encoding': 'gzip' } }, (response) => {
        response.once('data', () => {
          request.destroy();
          resolve();
        });
      });
      request.on('error', (error) => (request.destroyed ? undefined : reject(error)));
    });
    await responseClosed;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(afterClose).toBeNull();
  });
});
