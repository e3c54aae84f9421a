// Seeds the test registries with real images and writes down the truth from the bytes it
// pushed: one JSON document per repository that tests compare the product with.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  attestation,
  content,
  descriptor,
  image,
  index,
  layer,
  MT,
  signature,
  signatureTag,
  type Attestation,
  type Content,
  type Format,
  type Image,
  type Layer,
  type PlatformSpec,
} from './oci';
import type { Pusher } from './pusher';

export interface TruthPlatform {
  platform: string;
  os: string;
  architecture: string;
  variant: string | null;
  digest: string;
  mediaType: string;
  size: number;
  configDigest: string;
  compressedSize: number;
  created: string;
}

export interface TruthTag {
  kind: 'index' | 'manifest' | 'signature' | 'artifact';
  digest: string;
  mediaType: string;
  size: number;
  platforms: TruthPlatform[];
  attestations: { digest: string; for: string }[];
  artifactType?: string;
}

export interface Truth {
  repository: string;
  tags: Record<string, TruthTag>;
  /** Tags (signatures excluded) grouped by the digest they point at, tags sorted. */
  groups: { digest: string; tags: string[] }[];
}

/**
 * When each tag of a truth was pushed, as the web API emulators (hub.ts, quay.ts) tell it, in
 * ms: the newest `created` of its platforms (tags without platforms: the repository's newest),
 * plus one second per tag of the same instant in name order, so orderings by time are total
 * and repeatable.
 */
export function tagPushTimes(truth: Truth): Map<string, number> {
  const created = (tag: TruthTag) => tag.platforms.map((p) => Date.parse(p.created));
  const repositoryNewest = Math.max(0, ...Object.values(truth.tags).flatMap(created));
  const seen = new Map<number, number>();
  const times = new Map<string, number>();
  for (const name of Object.keys(truth.tags).sort()) {
    const tag = truth.tags[name]!;
    const base = tag.platforms.length > 0 ? Math.max(...created(tag)) : repositoryNewest;
    const offset = seen.get(base) ?? 0;
    seen.set(base, offset + 1);
    times.set(name, base + offset * 1000);
  }
  return times;
}

export const PLATFORMS = {
  amd64: { os: 'linux', architecture: 'amd64' },
  arm64: { os: 'linux', architecture: 'arm64', variant: 'v8' },
  armv7: { os: 'linux', architecture: 'arm', variant: 'v7' },
  armv6: { os: 'linux', architecture: 'arm', variant: 'v6' },
  i386: { os: 'linux', architecture: '386' },
  ppc64le: { os: 'linux', architecture: 'ppc64le' },
  s390x: { os: 'linux', architecture: 's390x' },
} satisfies Record<string, PlatformSpec>;

export function platformString(p: PlatformSpec): string {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
}

function truthPlatform(img: Image): TruthPlatform {
  return {
    platform: platformString(img.platform),
    os: img.platform.os,
    architecture: img.platform.architecture,
    variant: img.platform.variant ?? null,
    digest: img.manifest.digest,
    mediaType: img.manifest.mediaType,
    size: img.manifest.size,
    configDigest: img.config.digest,
    compressedSize: img.layers.reduce((sum, l) => sum + l.size, 0),
    created: img.created,
  };
}

/** Pushes into one repository and records what each tag points at. */
export class RepositorySeeder {
  readonly truth: Truth;

  constructor(
    private readonly pusher: Pusher,
    registryHost: string,
    readonly path: string,
  ) {
    this.truth = { repository: `${registryHost}/${path}`, tags: {}, groups: [] };
  }

  async pushImage(img: Image): Promise<void> {
    for (const l of img.layers) await this.pusher.pushBlob(this.path, l);
    await this.pusher.pushBlob(this.path, img.config);
    await this.pusher.pushManifest(this.path, img.manifest.digest, img.manifest);
  }

  async pushAttestation(att: Attestation): Promise<void> {
    for (const blob of att.blobs) await this.pusher.pushBlob(this.path, blob);
    await this.pusher.pushManifest(this.path, att.manifest.digest, att.manifest);
  }

  async tagIndex(tags: string[], format: Format, images: Image[], attestations: Attestation[] = [], annotations?: Record<string, string>): Promise<Content> {
    for (const img of images) await this.pushImage(img);
    for (const att of attestations) await this.pushAttestation(att);
    const idx = index(format, images, attestations, annotations);
    for (const tag of tags) {
      await this.pusher.pushManifest(this.path, tag, idx);
      this.truth.tags[tag] = {
        kind: 'index',
        digest: idx.digest,
        mediaType: idx.mediaType,
        size: idx.size,
        platforms: images.map(truthPlatform),
        attestations: attestations.map((att) => ({ digest: att.manifest.digest, for: att.for })),
      };
    }
    return idx;
  }

  async tagImage(tags: string[], img: Image): Promise<void> {
    await this.pushImage(img);
    for (const tag of tags) {
      await this.pusher.pushManifest(this.path, tag, img.manifest);
      this.truth.tags[tag] = {
        kind: 'manifest',
        digest: img.manifest.digest,
        mediaType: img.manifest.mediaType,
        size: img.manifest.size,
        platforms: [truthPlatform(img)],
        attestations: [],
      };
    }
  }

  async tagSignature(subjectDigest: string): Promise<string> {
    const sig = signature(subjectDigest, this.truth.repository);
    for (const blob of sig.blobs) await this.pusher.pushBlob(this.path, blob);
    const tag = signatureTag(subjectDigest);
    await this.pusher.pushManifest(this.path, tag, sig.manifest);
    this.truth.tags[tag] = {
      kind: 'signature',
      digest: sig.manifest.digest,
      mediaType: sig.manifest.mediaType,
      size: sig.manifest.size,
      platforms: [],
      attestations: [],
    };
    return tag;
  }

  /** A non-image OCI manifest (an artifact): an empty config and an artifactType. */
  async tagArtifact(tag: string, artifactType: string, payload: string): Promise<void> {
    const empty = content('{}', MT.ociEmpty);
    const blob = content(payload, 'application/vnd.tagscope.test.note.v1+json');
    await this.pusher.pushBlob(this.path, empty);
    await this.pusher.pushBlob(this.path, blob);
    const manifest = content(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MT.ociManifest,
        artifactType,
        config: descriptor(empty),
        layers: [descriptor(blob)],
      }),
      MT.ociManifest,
    );
    await this.pusher.pushManifest(this.path, tag, manifest);
    this.truth.tags[tag] = {
      kind: 'artifact',
      digest: manifest.digest,
      mediaType: manifest.mediaType,
      size: manifest.size,
      platforms: [],
      attestations: [],
      artifactType,
    };
  }

  finish(): Truth {
    const byDigest = new Map<string, string[]>();
    for (const [tag, entry] of Object.entries(this.truth.tags)) {
      if (entry.kind === 'signature') continue;
      byDigest.set(entry.digest, [...(byDigest.get(entry.digest) ?? []), tag]);
    }
    this.truth.groups = [...byDigest].map(([digest, tags]) => ({ digest, tags: tags.sort() }));
    this.truth.groups.sort((a, b) => a.tags[0]!.localeCompare(b.tags[0]!));
    return this.truth;
  }
}

const baseLayers = new Map<string, Layer>();
/** One base layer per format and platform, shared by every version, as real bases are. */
function baseLayer(format: Format, p: PlatformSpec): Layer {
  const key = `${format} ${platformString(p)}`;
  let l = baseLayers.get(key);
  if (!l) {
    l = layer(format, [
      { path: 'etc/os-release', content: `NAME="Tagscope Test Linux"\nID=tagscope\nPLATFORM=${platformString(p)}\n` },
      { path: 'bin/sh', content: Buffer.alloc(4096 + platformString(p).length * 97, platformString(p)) },
    ]);
    baseLayers.set(key, l);
  }
  return l;
}

export function sampleImage(format: Format, p: PlatformSpec, version: string, created: string): Image {
  const app = layer(format, [
    { path: 'app/VERSION', content: `${version}\n` },
    { path: 'app/data.bin', content: Buffer.alloc(2048 + version.length * 311, `${version}-${platformString(p)}`) },
  ]);
  return image({
    format,
    platform: p,
    layers: [baseLayer(format, p), app],
    created,
    steps: [`ADD rootfs-${p.architecture}.tar /`, `COPY app-${version} /app # buildkit`],
    emptySteps: ['CMD ["/bin/sh"]'],
    labels: { 'org.opencontainers.image.version': version },
  });
}

/**
 * The sample repository every test and the demo use: a Docker manifest list with three alias
 * tags, an OCI index with BuildKit attestations, a rebuild sharing only some platforms with
 * it, single-platform Docker and OCI images, a cosign signature, an orphan signature and an
 * artifact.
 */
export async function seedDemoRepository(pusher: Pusher, host: string, repoPath = 'library/demo'): Promise<Truth> {
  const seeder = new RepositorySeeder(pusher, host, repoPath);
  const { amd64, arm64, armv7, armv6, i386, ppc64le, s390x } = PLATFORMS;

  const v312 = [amd64, arm64, armv7, armv6, i386, ppc64le, s390x].map((p) =>
    sampleImage('docker', p, '3.12.9', '2021-11-12T17:19:44Z'),
  );
  await seeder.tagIndex(['3.12', '3.12.9', '3.12.9-r0'], 'docker', v312);

  const v313 = [amd64, arm64, armv7].map((p) => sampleImage('oci', p, '3.13.1', '2022-03-28T10:00:00Z'));
  const v313Attestations = v313.map((img) => attestation(img, ['provenance', 'sbom']));
  const v313Index = await seeder.tagIndex(['3.13', '3.13.1'], 'oci', v313, v313Attestations);

  // Rebuilt: amd64 and arm64 images unchanged, arm/v7 rebuilt, s390x added, no attestations.
  const v314 = [v313[0]!, v313[1]!, sampleImage('oci', armv7, '3.14.0', '2023-01-09T08:30:00Z'), sampleImage('oci', s390x, '3.14.0', '2023-01-09T08:30:00Z')];
  await seeder.tagIndex(['3.14', 'latest'], 'oci', v314);

  await seeder.tagImage(['single-docker'], sampleImage('docker', amd64, 'single-docker', '2020-06-01T00:00:00Z'));
  await seeder.tagImage(['single-oci', 'Single-OCI-Upper'], sampleImage('oci', arm64, 'single-oci', '2020-07-01T00:00:00Z'));

  // Annotations carrying markup and script: a registry's text is a stranger's, so every page
  // must show them as text.
  await seeder.tagIndex(['markup'], 'oci', [sampleImage('oci', { os: 'linux', architecture: 'riscv64' }, 'markup', '2024-05-05T05:05:05Z')], [], {
    'org.opencontainers.image.title': MARKUP,
    'org.opencontainers.image.description': '"><img src=x onerror="window.__pwned=2">',
  });

  await seeder.tagSignature(v313Index.digest);
  await seeder.tagSignature(`sha256:${'0'.repeat(63)}1`);
  await seeder.tagArtifact('notes', 'application/vnd.tagscope.test.notes.v1', '{"note":"not an image"}');
  return seeder.finish();
}

export const MARKUP = '<script>window.__pwned=1</script><b>bold?</b>';

/** A small repository for the auth registries: one index with an alias, one single image. */
export async function seedSmallRepository(pusher: Pusher, host: string, repoPath: string): Promise<Truth> {
  const seeder = new RepositorySeeder(pusher, host, repoPath);
  const images = [PLATFORMS.amd64, PLATFORMS.arm64].map((p) => sampleImage('oci', p, `${repoPath}-1.0`, '2024-02-02T02:02:02Z'));
  await seeder.tagIndex(['1.0', 'stable'], 'oci', images);
  await seeder.tagImage(['solo'], sampleImage('docker', PLATFORMS.amd64, `${repoPath}-solo`, '2024-03-03T03:03:03Z'));
  return seeder.finish();
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function eachLimit<T>(items: T[], limit: number, work: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i]!, i);
      }
    }),
  );
}

/**
 * Many repositories, cheaply, for catalog tests: distribution lists a repository once it holds
 * a manifest. One tiny config blob is uploaded once and mounted into every other repository
 * (one request each), and each gets a manifest without layers, tagged `latest`.
 */
export async function seedRepositories(pusher: Pusher, names: string[], concurrency = 8): Promise<void> {
  const [first, ...rest] = names;
  if (first === undefined) return;
  const config = content(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }), MT.ociConfig);
  const manifest = content(JSON.stringify({ schemaVersion: 2, mediaType: MT.ociManifest, config: descriptor(config), layers: [] }), MT.ociManifest);
  await pusher.pushBlob(first, config);
  await pusher.pushManifest(first, 'latest', manifest);
  await eachLimit(rest, concurrency, async (name) => {
    await pusher.mountBlob(name, config.digest, first);
    await pusher.pushManifest(name, 'latest', manifest);
  });
}

export interface ScaleOptions {
  tags: number;
  indexes: number;
  platformsPerIndex?: number;
  concurrency?: number;
}

/** One distinct index of a scale repository: its tags, its platforms and their created date. */
export interface ScaleIndex {
  tags: string[];
  platforms: PlatformSpec[];
  created: string;
}

/**
 * The layout of a scale repository, shared by the seeder and the Hub emulator's synthetic twin
 * (hub.ts): index i gets tags `1.<i>.0`, `1.<i>.0-r<k>` …, spread evenly, and
 * `platformsPerIndex` platforms starting at the i-th of PLATFORMS.
 */
export function scaleLayout(options: ScaleOptions): ScaleIndex[] {
  const all = Object.values(PLATFORMS);
  const perIndex = options.platformsPerIndex ?? 4;
  return Array.from({ length: options.indexes }, (_, i) => {
    const count = Math.floor(options.tags / options.indexes) + (i < options.tags % options.indexes ? 1 : 0);
    return {
      tags: Array.from({ length: count }, (_, k) => (k === 0 ? `1.${i}.0` : `1.${i}.0-r${k}`)),
      platforms: Array.from({ length: perIndex }, (_, k) => all[(i + k) % all.length]!),
      created: new Date(Date.UTC(2020, 0, 1) + i * 3_600_000).toISOString().replace('.000', ''),
    };
  });
}

/**
 * Scale mode for benchmarks: `tags` tags over `indexes` distinct multi-platform indexes
 * (scaleLayout). Layers are shared per platform so the push stays quick; every config (and so
 * every platform manifest) is distinct.
 */
export async function seedScaleRepository(pusher: Pusher, host: string, repoPath: string, options: ScaleOptions): Promise<Truth> {
  const seeder = new RepositorySeeder(pusher, host, repoPath);
  const all: PlatformSpec[] = Object.values(PLATFORMS);
  const concurrency = options.concurrency ?? 8;
  const bases = all.map((p) => baseLayer('oci', p));
  for (const base of bases) await pusher.pushBlob(repoPath, base);

  const layout = scaleLayout(options);
  await eachLimit(layout, concurrency, async ({ tags, platforms, created }, i) => {
    const images = platforms.map((p) =>
      image({
        format: 'oci',
        platform: p,
        layers: [bases[all.indexOf(p)]!],
        created,
        steps: ['ADD rootfs.tar /'],
        labels: { 'org.opencontainers.image.version': `1.${i}.0` },
      }),
    );
    for (const img of images) {
      await pusher.pushBlob(repoPath, img.config);
      await pusher.pushManifest(repoPath, img.manifest.digest, img.manifest);
    }
    const idx = index('oci', images);
    for (const tag of tags) {
      await pusher.pushManifest(repoPath, tag, idx);
      seeder.truth.tags[tag] = {
        kind: 'index',
        digest: idx.digest,
        mediaType: idx.mediaType,
        size: idx.size,
        platforms: images.map(truthPlatform),
        attestations: [],
      };
    }
  });
  return seeder.finish();
}

export async function writeTruth(dir: string, truth: Truth): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${encodeURIComponent(truth.repository)}.json`);
  await writeFile(file, `${JSON.stringify(truth, null, 2)}\n`);
  return file;
}

/**
 * The same image twice, for comparing across registries: a Docker manifest list in one
 * registry, an OCI index of the very same configs and layers in another (same image IDs,
 * other digests); plus a rebuild (new created date: same filesystem, other image ID) and a
 * recompression (other layer digests, same diff_ids and image ID).
 */
export async function seedComparePair(docker: { pusher: Pusher; host: string }, oci: { pusher: Pusher; host: string }, repoPath: { docker: string; oci: string }) {
  const created = '2025-01-15T12:00:00Z';
  const files = (p: PlatformSpec) => [{ path: 'etc/compare', content: `same content for ${platformString(p)}\n` }];
  const build = (format: Format, p: PlatformSpec, when: string, level?: number) =>
    image({ format, platform: p, layers: [layer(format, files(p), level)], created: when, steps: ['COPY compare /etc/'] });
  const platforms = [PLATFORMS.amd64, PLATFORMS.arm64];
  const a = new RepositorySeeder(docker.pusher, docker.host, repoPath.docker);
  await a.tagIndex(['1.0'], 'docker', platforms.map((p) => build('docker', p, created)));
  const b = new RepositorySeeder(oci.pusher, oci.host, repoPath.oci);
  await b.tagIndex(['1.0'], 'oci', platforms.map((p) => build('oci', p, created)));
  await b.tagIndex(['1.0-rebuilt'], 'oci', platforms.map((p) => build('oci', p, '2025-02-01T00:00:00Z')));
  await b.tagIndex(['1.0-recompressed'], 'oci', platforms.map((p) => build('oci', p, created, 1)));
  return { docker: a.finish(), oci: b.finish() };
}

/**
 * An index inside an index (image-index.md allows nesting): `outer` lists an inner OCI index
 * of two platforms, and one platform image of its own. Its truth lists all three platforms.
 * That image is also tagged on its own (`outer-s390x`): a platform digest that tags reach both
 * directly and through an index.
 */
export async function seedNestedRepository(pusher: Pusher, host: string, repoPath = 'library/nested'): Promise<Truth> {
  const seeder = new RepositorySeeder(pusher, host, repoPath);
  const inner = [PLATFORMS.amd64, PLATFORMS.arm64].map((p) => sampleImage('oci', p, 'nested-inner', '2024-06-06T06:06:06Z'));
  const own = sampleImage('oci', PLATFORMS.s390x, 'nested-outer', '2024-06-06T06:06:06Z');
  for (const img of [...inner, own]) await seeder.pushImage(img);
  const innerIndex = index('oci', inner);
  await pusher.pushManifest(repoPath, innerIndex.digest, innerIndex);
  const outer = content(
    JSON.stringify({ schemaVersion: 2, mediaType: MT.ociIndex, manifests: [descriptor(innerIndex), descriptor(own.manifest, { platform: own.platform })] }),
    MT.ociIndex,
  );
  await pusher.pushManifest(repoPath, 'outer', outer);
  await seeder.tagImage(['outer-s390x'], own);
  seeder.truth.tags.outer = {
    kind: 'index',
    digest: outer.digest,
    mediaType: outer.mediaType,
    size: outer.size,
    platforms: [...inner, own].map(truthPlatform),
    attestations: [],
  };
  return seeder.finish();
}

/** The home page's examples for the demo repository (TAGSCOPE_EXAMPLES): the repository, a tag, a digest. */
export function demoExamples(demo: Truth): string[] {
  return [demo.repository, `${demo.repository}:3.13`, `${demo.repository}@${demo.tags['3.13']!.platforms[0]!.digest}`];
}
