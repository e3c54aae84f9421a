// Compresses the repository view's NDJSON stream (lib/api/ndjson.ts) for a client whose
// Accept-Encoding allows it, and flushes after every write, so each batch of lines still leaves
// at once. It is done here, in the custom server, because Next 16 cannot do it (next 16.4.6):
// - a route handler cannot compress its own body: Next copies the Response onto the Node
//   response without its Content-Encoding and Content-Length (FORBIDDEN_HEADERS in
//   next/dist/server/send-response.js: the body may have been decoded by fetch), so the browser
//   gets gzip bytes labelled as plain NDJSON and cannot parse a line of them;
// - `next start`'s compression (`compress`, the `compression` 1.7.4 middleware in
//   next/dist/server/lib/router-server.js) only takes types mime-db calls compressible, and
//   application/x-ndjson is not in mime-db; the stream's `Cache-Control: no-transform` would
//   stop it too (that directive binds proxies, not the origin choosing its coding, so it stays
//   and is ignored here). Pages and the plain JSON answer stay Next's to compress.
// The response is taken over when its headers are written, after Next set them and before any
// byte is sent; Next writes each chunk of the route's stream with one `write` (pipe-readable.js),
// and the encoder's flush mode flushes each write. When the client goes away the response
// closes as before (Next cancels the route's stream on `close`) and the encoder is freed.
// Measured in docs/performance.md "The stream on the wire".

import zlib from 'node:zlib';

const NDJSON = 'application/x-ndjson';

/**
 * The encoders, most preferred first. Brotli at quality 4 with a 256 KiB window: of qualities
 * 4–6 and windows up to 4 MiB the smallest on the benchmark's stream, at gzip's CPU, and smaller
 * than gzip where a group comes again (its preview, then its sizes) further back than gzip's
 * 32 KiB window reaches; quality 11, Node's default, costs 30× the CPU (docs/performance.md).
 */
const ENCODERS = {
  br: () =>
    zlib.createBrotliCompress({
      flush: zlib.constants.BROTLI_OPERATION_FLUSH,
      params: {
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_QUALITY]: 4,
        [zlib.constants.BROTLI_PARAM_LGWIN]: 18,
      },
    }),
  gzip: () => zlib.createGzip({ flush: zlib.constants.Z_SYNC_FLUSH }),
};

/**
 * The content coding to answer with, from an Accept-Encoding header (RFC 9110 §12.5.3): the
 * highest `q`, ties broken by ENCODERS' order; `*` stands for any coding not named; `q=0`
 * refuses. Null when none is acceptable (then the stream goes as it is: identity is always
 * acceptable unless refused, and refusing it too is not worth a 406 here).
 */
export function chooseEncoding(acceptEncoding) {
  if (!acceptEncoding) return null;
  const weights = new Map();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (!name) continue;
    const q = params.find((p) => p.startsWith('q='));
    weights.set(name, q === undefined ? 1 : Number(q.slice(2)) || 0);
  }
  const weight = (coding) => weights.get(coding) ?? weights.get('*') ?? 0;
  let chosen = null;
  for (const coding of Object.keys(ENCODERS)) {
    if (weight(coding) > 0 && (chosen === null || weight(coding) > weight(chosen))) chosen = coding;
  }
  return chosen;
}

const isNdjson = (response) => String(response.getHeader('content-type') ?? '').toLowerCase().startsWith(NDJSON);

function varyOnAcceptEncoding(response) {
  const vary = [response.getHeader('vary') ?? []].flat().join(', ');
  if (!/(^|,)\s*(accept-encoding|\*)\s*(,|$)/i.test(vary)) response.setHeader('vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
}

/**
 * Installs the compression on one response, before Next's request handler sees it (Next's own
 * compression then wraps these methods, and passes NDJSON through to them untouched).
 */
export function compressNdjson(request, response) {
  const coding = request.method === 'GET' ? chooseEncoding(request.headers['accept-encoding']) : null;
  const { writeHead, write, end } = response;
  let encoder = null;

  response.writeHead = function (statusCode, ...rest) {
    if (!this.headersSent && isNdjson(this)) {
      varyOnAcceptEncoding(this);
      if (coding && statusCode === 200 && !this.getHeader('content-encoding')) {
        this.setHeader('content-encoding', coding);
        this.removeHeader('content-length');
        encoder = ENCODERS[coding]();
        encoder.on('data', (data) => {
          if (!write.call(this, data)) encoder.pause();
        });
        encoder.on('end', () => end.call(this));
        // A write the encoder could not take yet waits for the encoder's drain, not the socket's.
        encoder.on('drain', () => this.emit('drain'));
        encoder.on('error', (error) => this.destroy(error));
        this.on('drain', () => encoder.resume());
        this.once('close', () => encoder.destroy());
      }
    }
    return writeHead.call(this, statusCode, ...rest);
  };
  // Headers first, so an NDJSON body's first bytes already go through the encoder.
  const headersFirst = (self) => {
    if (!self.headersSent && isNdjson(self)) self.writeHead(self.statusCode);
  };
  response.write = function (chunk, encoding, callback) {
    headersFirst(this);
    return encoder ? encoder.write(chunk, encoding, callback) : write.call(this, chunk, encoding, callback);
  };
  response.end = function (chunk, encoding, callback) {
    headersFirst(this);
    if (!encoder) return end.call(this, chunk, encoding, callback);
    encoder.end(chunk, encoding, callback);
    return this;
  };
}
