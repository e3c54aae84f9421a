// Which digest is which: digest pages for every kind of digest, the raw manifest, the image
// config, the explainer, and comparing across registries.
import { expect, test } from '@playwright/test';
import { expectAccessible } from './axe';
import { e2eEnvironment } from './environment';
import { viewFinished } from './repository-page';

const env = e2eEnvironment();
const demo = env.harness.truth.demo;
const repoPath = `/r/${demo.repository}`;

test.describe('digest pages say what a digest is', () => {
  test('an index digest', async ({ page }) => {
    await page.goto(`${repoPath}@${demo.tags['3.13']!.digest}`);
    await expect(page.getByTestId('digest-role')).toContainText('an index');
  });

  test('a platform digest: its config, history and layers', async ({ page }) => {
    const platform = demo.tags['3.12']!.platforms[0]!;
    await page.goto(`${repoPath}@${platform.digest}`);
    await expect(page.getByTestId('digest-role')).toContainText('an image manifest');
    await expect(page.getByRole('heading', { name: 'Image config' })).toBeVisible();
    await expect(page.getByText(`Image ID ${platform.configDigest}`, { exact: true })).toBeVisible();
    await expect(page.getByText(platform.created).first()).toBeVisible();
    await expect(page.getByText('empty layer')).toBeVisible();
    await expect(page.getByText('CMD ["/bin/sh"]')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Layers' })).toBeVisible();
    await expectAccessible(page);
  });

  test('an image ID (config digest): which platforms and tags use it', async ({ page }) => {
    const platform = demo.tags['3.12']!.platforms.find((p) => p.platform === 'linux/arm/v7')!;
    await page.goto(`${repoPath}@${platform.configDigest}`);
    await expect(page.getByTestId('digest-role')).toContainText('an image config');
    await expect(page.getByTestId('used-by')).toContainText('linux/arm/v7');
    await expect(page.getByTestId('used-by')).toContainText('3.12.9-r0');
    await expectAccessible(page);
  });

  test('a layer: its diff_id and the images that use it', async ({ page }) => {
    const manifest = await (await page.request.get(`/api/v1/manifest?reference=${encodeURIComponent(`${demo.repository}@${demo.tags['3.13']!.platforms[0]!.digest}`)}`)).json();
    const layer = JSON.parse(manifest.raw).layers[0].digest as string;
    await page.goto(`${repoPath}@${layer}`);
    await expect(page.getByTestId('digest-role')).toContainText('a layer');
    await expect(page.getByText('diff_id', { exact: true })).toBeVisible();
    // The base layer is shared by 3.13 and its rebuild 3.14.
    await expect(page.getByTestId('used-by')).toContainText('3.13');
    await expect(page.getByTestId('used-by')).toContainText('3.14');
  });

  test('the finder box opens any digest pasted, even without its prefix', async ({ page }) => {
    await page.goto(repoPath);
    const config = demo.tags['3.12']!.platforms[0]!.configDigest;
    await page.getByLabel('What is this digest?').fill(config.slice('sha256:'.length));
    await page.getByRole('button', { name: 'Find' }).click();
    await expect(page).toHaveURL(new RegExp(`@${config}$`));
    await expect(page.getByTestId('digest-role')).toContainText('an image config');
  });
});

test.describe('each page says what its reference names: its label, <title>, digest heading and pull command', () => {
  const amd64 = () => demo.tags['3.13']!.platforms[0]!;
  // what, address, label over the heading, <title>, the digest section's heading, the pull-by-digest label
  const cases: [string, () => string, string, () => string, string, string][] = [
    ['a tag to an index', () => `${repoPath}:3.13`, 'Tag', () => `${demo.repository}:3.13`, 'Index digest', 'By index digest (this exact image, every platform)'],
    ['a tag to a single manifest', () => `${repoPath}:single-oci`, 'Tag', () => `${demo.repository}:single-oci`, 'Index digest', 'By index digest (this exact image, its one platform)'],
    ['an index digest', () => `${repoPath}@${demo.tags['3.13']!.digest}`, 'Index', () => `Index ${demo.repository}@${demo.tags['3.13']!.digest}`, 'Index digest', 'By index digest (this exact image, every platform)'],
    ['a platform digest', () => `${repoPath}@${amd64().digest}`, 'Platform manifest', () => `Platform manifest ${demo.repository}@${amd64().digest}`, 'Platform digest', 'By platform digest (this platform’s image only)'],
    ['an artifact digest', () => `${repoPath}@${demo.tags.notes!.digest}`, 'Artifact', () => `Artifact ${demo.repository}@${demo.tags.notes!.digest}`, 'Digest', 'By digest (this exact artifact)'],
  ];
  for (const [what, path, label, title, heading, pull] of cases) {
    test(what, async ({ page }) => {
      await page.goto(path());
      await expect(page).toHaveTitle(`${title()} · Tagscope`);
      await expect(page.getByTestId('page-kind')).toHaveText(label);
      await expect(page.getByRole('heading', { level: 2 }).first()).toHaveText(heading);
      await expect(page.getByText(pull, { exact: true })).toBeVisible();
    });
  }

  test('a platform digest is nowhere called an index digest, nor pulled for every platform', async ({ page }) => {
    await page.goto(`${repoPath}@${amd64().digest}`);
    await expect(page.getByTestId('explainer')).toContainText('(this platform’s image alone: its platform digest)');
    await expect(page.getByText(/index digest|every platform/i)).toHaveCount(0);
  });
});

test.describe('signatures and attestations, as the repository list shows them', () => {
  const subject = () => demo.tags['3.13']!.digest;
  const signature = () => `sha256-${subject().slice('sha256:'.length)}.sig`;

  test('a signed tag with BuildKit attestations: "signed", "provenance / SBOM" and its signature tag', async ({ page }) => {
    await page.goto(`${repoPath}:3.13`);
    await expect(page.getByText('signed', { exact: true })).toBeVisible();
    await expect(page.getByText('provenance / SBOM', { exact: true })).toBeVisible();
    await expect(page.getByTestId('signature-tags').getByRole('link', { name: signature() })).toHaveAttribute('href', `${repoPath}:${signature()}`);
    await page.goto(`${repoPath}:3.12`);
    await expect(page.getByTestId('aliases')).toBeVisible(); // the search has ended
    await expect(page.getByText('signed', { exact: true })).toHaveCount(0);
    await expect(page.getByText('provenance / SBOM', { exact: true })).toHaveCount(0);
  });

  test('a platform digest: the attestations its index holds for it, and which index is signed', async ({ page }) => {
    await page.goto(`${repoPath}@${demo.tags['3.13']!.platforms[0]!.digest}`);
    await expect(page.getByText('provenance / SBOM', { exact: true })).toBeVisible();
    await expect(page.getByTestId('via-index').filter({ hasText: '3.13.1' })).toContainText(`that index is signed: ${signature()}`);
    // No signature names the platform manifest itself.
    await expect(page.getByText('signed', { exact: true })).toHaveCount(0);
  });

  test('a cosign signature tag says what it signs and links to it', async ({ page }) => {
    await page.goto(`${repoPath}:${signature()}`);
    await expect(page).toHaveTitle(`Cosign signature ${demo.repository}:${signature()} · Tagscope`);
    await expect(page.getByTestId('page-kind')).toHaveText('Cosign signature');
    const note = page.getByTestId('signature-subject');
    await expect(note).toContainText(`This tag is the cosign signature of ${subject()}`);
    await expect(page.getByTestId('aliases')).toContainText('No other tag points at this image.');
    await note.getByRole('link', { name: subject() }).click();
    await expect(page).toHaveURL(`${repoPath}@${subject()}`);
    await expect(page.getByTestId('page-kind')).toHaveText('Index');
    await expect(page.getByTestId('signature-tags')).toContainText(signature());
  });
});

test.describe('in dark mode', () => {
  test.use({ colorScheme: 'dark' });

  test('a manifest page passes axe: the digest links in the manifest, its labelled regions', async ({ page }) => {
    await page.goto(`${repoPath}:3.13`);
    const tree = page.getByRole('region', { name: 'The manifest, pretty-printed' });
    await expect(tree.getByRole('link').first()).toBeVisible();
    await page.getByText('Raw bytes, exactly as received').click();
    await expect(page.getByRole('region', { name: 'The manifest, exactly as received' })).toBeVisible();
    await expectAccessible(page);
  });
});

test.describe('the tag page explains the three digests with real values', () => {
  test('docker pull prints the index digest; Docker Hub lists the platform digest; docker images shows the image ID', async ({ page }) => {
    const truth = demo.tags['3.13']!;
    const amd64 = truth.platforms.find((p) => p.platform === 'linux/amd64')!;
    await page.goto(`${repoPath}:3.13`);
    const explainer = page.getByTestId('explainer');
    await expect(explainer).toContainText(`docker pull ${demo.repository}:3.13 prints ${truth.digest}`);
    await expect(explainer).toContainText(`Docker Hub lists ${amd64.digest} for linux/amd64`);
    await expect(explainer).toContainText(`docker images shows the image ID ${amd64.configDigest}`);
  });
});

test.describe('the raw manifest view', () => {
  test('shows the exact bytes, the headers, the computed digest verified, and links every digest', async ({ page }) => {
    const truth = demo.tags['3.13']!;
    await page.goto(`${repoPath}:3.13`);
    await expect(page.getByText('verified', { exact: true })).toBeVisible();
    await expect(page.getByRole('row', { name: /docker-content-digest/ })).toContainText(truth.digest);
    // The first link is the index entry; the attestation's reference annotation names it again.
    const link = page.getByRole('link', { name: `"${truth.platforms[1]!.digest}"` }).first();
    await expect(link).toHaveAttribute('href', `${repoPath}@${truth.platforms[1]!.digest}`);
    await page.getByText('Raw bytes, exactly as received').click();
    const raw = await page.getByTestId('raw-manifest').textContent();
    const { createHash } = await import('node:crypto');
    expect(`sha256:${createHash('sha256').update(raw!, 'utf8').digest('hex')}`).toBe(truth.digest);
    await expectAccessible(page);
  });

  test('annotations carrying markup and script are shown as text and never run', async ({ page }) => {
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${repoPath}:markup`);
    await expect(page.getByText('"<script>window.__pwned=1</script><b>bold?</b>"').first()).toBeVisible();
    await page.getByText('Raw bytes, exactly as received').click();
    await expect(page.getByTestId('raw-manifest')).toContainText('<img src=x onerror=');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.locator('main b').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });
});

test.describe('compare', () => {
  const docker = env.harness.truth.compareDocker.repository;
  const oci = env.harness.truth.compareOci.repository;

  test('the API: the same image in Docker form and OCI form in two registries', async ({ request }) => {
    const response = await request.get(`/api/v1/compare?a=${encodeURIComponent(`${docker}:1.0`)}&b=${encodeURIComponent(`${oci}:1.0`)}`);
    expect(response.status()).toBe(200);
    const body = await response.json();
    expect(Object.keys(body).sort()).toEqual(['a', 'b', 'platforms', 'reason', 'sameIndexDigest', 'verdict']);
    expect(body.verdict).toBe('same-image');
    expect(Object.keys(body.platforms[0]).sort()).toEqual(['a', 'b', 'platform', 'reason', 'sameCompressedLayers', 'sameDiffIds', 'sameImageId', 'samePlatformDigest']);
  });

  test('the API refuses a missing or invalid reference', async ({ request }) => {
    expect((await request.get(`/api/v1/compare?a=alpine`)).status()).toBe(400);
    const invalid = await request.get(`/api/v1/compare?a=alpine&b=Not/Valid`);
    expect(invalid.status()).toBe(400);
    expect((await invalid.json()).error).toMatchObject({ code: 'INVALID_REFERENCE', details: { parameter: 'b' } });
  });

  test('the page: a verdict with its reason, per platform', async ({ page }) => {
    await page.goto('/compare');
    await page.getByLabel('Reference a').fill(`${oci}:1.0`);
    await page.getByLabel('Reference b').fill(`${oci}:1.0-rebuilt`);
    await page.getByRole('button', { name: 'Compare' }).click();
    await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'same-filesystem');
    await expect(page.locator('tr[data-platform="linux/amd64"]')).toContainText('a rebuild');
    await expectAccessible(page);
  });
});

test.describe('image configs load lazily', () => {
  test('GET /api/v1/config: one platform config, by platform digest or with platform=', async ({ request }) => {
    const arm = demo.tags['3.12']!.platforms.find((p) => p.platform === 'linux/arm/v7')!;
    const byDigest = await (await request.get(`/api/v1/config?reference=${encodeURIComponent(`${demo.repository}@${arm.digest}`)}`)).json();
    expect(byDigest).toMatchObject({ digest: arm.configDigest, manifestDigest: arm.digest, config: { architecture: 'arm', variant: 'v7', created: arm.created } });
    const byPlatform = await (await request.get(`/api/v1/config?reference=${encodeURIComponent(`${demo.repository}:3.12`)}&platform=linux/arm/v7`)).json();
    expect(byPlatform.digest).toBe(arm.configDigest);
    const index = await request.get(`/api/v1/config?reference=${encodeURIComponent(`${demo.repository}:3.12`)}`);
    expect(index.status()).toBe(400);
    expect((await index.json()).error).toMatchObject({ code: 'INVALID_QUERY', details: { parameter: 'platform' } });
  });

  test('a row reads one image config for its date; opening the group reads the others, each once', async ({ page }) => {
    const configRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/v1/config')) configRequests.push(decodeURIComponent(new URL(request.url()).searchParams.get('reference')!));
    });
    await page.goto(repoPath);
    await viewFinished(page);
    // Every group of the demo is on screen: one config per index, its first platform's (a single
    // manifest's build date comes with the view, which read its config already).
    const images = demo.groups.filter((g) => demo.tags[g.tags[0]!]!.kind === 'index');
    const firsts = images.map((g) => `${demo.repository}@${demo.tags[g.tags[0]!]!.platforms[0]!.digest}`);
    await expect.poll(() => [...configRequests].sort()).toEqual([...new Set(firsts)].sort());
    await page.getByRole('button', { name: /Show the platforms of 3\.12\.9-r0, 3\.12\.9, 3\.12$/ }).click();
    const platforms = demo.tags['3.12']!.platforms;
    const truth = platforms[1]!;
    await expect(page.locator(`tr[data-platform="${truth.platform}"] [data-testid="created"]`)).toHaveText(`${truth.created.slice(0, 16).replace('T', ' ')} UTC`);
    await expect(page.locator('[data-testid="created"]', { hasText: 'loading' })).toHaveCount(0);
    // The rest of the group's platforms, once; the first one's config was already read.
    expect(configRequests.filter((r) => platforms.some((p) => r.endsWith(p.digest))).sort()).toEqual(platforms.map((p) => `${demo.repository}@${p.digest}`).sort());
  });
});
