// The raw-manifest view under hostile manifests: whatever the 4 MiB cap admits renders in bounded
// time and size, as raw text past fixed limits, with a note why.
import { text } from 'node:stream/consumers';
import { prerenderToNodeStream } from 'react-dom/static';
import { describe, expect, it } from 'vitest';
import { ManifestView } from '@/components/image/manifest-view';
import type { ManifestResponse } from '@/lib/api/types';

const MiB = 1024 * 1024;
const repository = 'registry.test/hostile/app';
const digest = (n: number) => `sha256:${String(n).padStart(64, '0')}`;
const base = {
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digest(1), size: 100 },
  layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: digest(2), size: 200 }],
};
/** The manifest above with one more field, `x`, whose JSON text is given. */
const withField = (x: string) => `${JSON.stringify(base).slice(0, -1)},"x":${x}}`;
const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
const manifest = (raw: string): ManifestResponse => ({
  reference: `${repository}@${digest(3)}`,
  digest: digest(3),
  mediaType: base.mediaType,
  size: Buffer.byteLength(raw),
  verified: true,
  headers: { 'content-type': base.mediaType },
  raw,
});

/** The HTML the server sends; prerendering waits for all of it (renderToString cuts deep trees). */
async function render(raw: string) {
  const started = performance.now();
  const { prelude } = await prerenderToNodeStream(<ManifestView manifest={manifest(raw)} repository={repository} />);
  const html = await text(prelude);
  return { html, ms: performance.now() - started };
}

describe('hostile manifests render in bounded time and size', () => {
  it.each([
    // Distribution's Go decoder accepts 10,000 levels: the manifest object and 9,999 arrays.
    ['nested 10,000 levels deep (20 KB)', withField(nested(9_999)), 'nested deeper than 32 levels', 200_000],
    ['nested 100,000 levels deep (200 KB)', withField(nested(99_999)), 'larger than 64 KiB', 1_000_000],
    ['4 MiB of small values', withField(`[${'0,'.repeat(2 * MiB - 600)}0]`), 'larger than 64 KiB', 1_000_000],
    ['4 MiB of "<", which HTML escapes fourfold', withField(JSON.stringify('<'.repeat(4 * MiB - 600))), 'larger than 64 KiB', 1_000_000],
    ['4 MiB of right-to-left overrides', withField(JSON.stringify('\u202E'.repeat((4 * MiB - 600) / 3))), 'larger than 64 KiB', 1_000_000],
    ['5,001 values in 10 KB', withField(`[${'0,'.repeat(5_000)}0]`), 'made of more than 5,000 values', 200_000],
  ])('%s: shown as raw text, saying why', async (_, raw, reason, maxChars) => {
    const { html, ms } = await render(raw);
    expect(html.length).toBeLessThan(maxChars);
    expect(ms).toBeLessThan(2_000);
    expect(html).toContain(`The manifest is ${reason} — shown as raw text`);
  });

  it('raw text past 128 KiB is cut, with a link to the full bytes', async () => {
    const raw = withField(JSON.stringify('a'.repeat(MiB)));
    const { html } = await render(raw);
    expect(html).toContain(`Showing the first 131,072 of ${raw.length.toLocaleString('en')} characters.`);
    expect(html).toContain(`href="/api/v1/manifest?reference=${encodeURIComponent(`${repository}@${digest(3)}`)}"`);
  });

  it('an ordinary manifest is a tree, with the raw bytes complete beside it', async () => {
    const { html } = await render(JSON.stringify(base, null, 3));
    expect(html).not.toContain('shown as raw text');
    expect(html).toContain(`href="/r/${repository}@${digest(1)}"`);
    expect(html).toContain('Raw bytes, exactly as received');
    expect(html).not.toContain('Showing the first');
  });
});

describe('bidi and control characters in a manifest are shown, not obeyed', () => {
  const annotated = JSON.stringify({ ...base, annotations: { 'org.opencontainers.image.title\u202E': 'invoice\u202Efdp.exe', bell: '\u0007', nel: '\u0085' } });

  it.each([
    ['a right-to-left override in a key', '&quot;org.opencontainers.image.title<span title="U+202E right-to-left override"'],
    ['a right-to-left override in a value', '&quot;invoice<span title="U+202E right-to-left override"'],
    ['a C1 control in a value', '&quot;<span title="U+0085 control character"'],
    // JSON.stringify escapes C0 controls itself.
    ['a C0 control in a value, as JSON escapes it', '&quot;\\u0007&quot;'],
  ])('%s', async (_, expected) => {
    const { html } = await render(annotated);
    expect(html).toContain(expected);
  });

  it('the raw bytes show the override too', async () => {
    const { html } = await render(annotated);
    const raw = html.slice(html.indexOf('data-testid="raw-manifest"'));
    expect(raw).toContain('invoice<span title="U+202E right-to-left override"');
    expect(html).not.toMatch(/[\u202E\u0085]/);
  });
});
