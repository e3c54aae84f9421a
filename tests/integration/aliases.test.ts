// Finding the tags that alias an image costs HEADs only (free on Docker Hub), and a platform
// digest's tags cost one GET per distinct index — never a GET per platform manifest, nor one
// for a tag the HEAD says is no index. Signature tags cost nothing: they name their subject.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseReference } from '@/lib/registry';
import { startFront, type Front } from '../support/harness/front';

const harness = inject('harness');
const truth = harness.truth.demo;
let front: Front;
let findTagsFor: typeof import('@/lib/data/image').findTagsFor;

beforeAll(async () => {
  front = await startFront(harness.open.url);
  // The app's service reads its configuration once, from the environment.
  process.env.TAGSCOPE_INSECURE_REGISTRIES = front.host;
  process.env.TAGSCOPE_CACHE_DIR = `${harness.dir}/aliases-cache`;
  ({ findTagsFor } = await import('@/lib/data/image'));
});
afterAll(async () => {
  await front?.stop();
});

describe('findTagsFor', () => {
  const tagCount = Object.keys(truth.tags).filter((t) => !t.startsWith('sha256-')).length;
  const distinctIndexes = new Set(Object.values(truth.tags).filter((t) => t.kind === 'index').map((t) => t.digest)).size;
  const signatureOf = (digest: string) => `sha256-${digest.slice('sha256:'.length)}.sig`;

  it('finds the aliases of an index with one HEAD per tag and no GET', async () => {
    front.reset();
    const owners = await findTagsFor(parseReference(`${front.host}/library/demo`), truth.tags['3.12']!.digest);
    expect(owners).toEqual({ direct: ['3.12', '3.12.9', '3.12.9-r0'], viaIndex: [], signatures: [], incomplete: null });
    expect(front.counts()).toMatchObject({ tagPage: 1, manifestHead: tagCount, manifestGet: 0 });
  });

  it('finds the signature tags naming an index, at no cost', async () => {
    front.reset();
    const index = truth.tags['3.13']!;
    const owners = await findTagsFor(parseReference(`${front.host}/library/demo`), index.digest, { platforms: index.platforms.map((p) => p.digest) });
    expect(owners).toMatchObject({ direct: ['3.13', '3.13.1'], viaIndex: [], signatures: [signatureOf(index.digest)] });
    expect(front.counts()).toMatchObject({ manifestGet: 0 });
  });

  it('finds the tags whose index holds a platform digest with one GET per distinct index', async () => {
    front.reset();
    const amd64 = truth.tags['3.13']!.platforms[0]!;
    const owners = await findTagsFor(parseReference(`${front.host}/library/demo`), amd64.digest);
    expect(owners.direct).toEqual([]);
    expect(owners.viaIndex.map((o) => o.tags)).toEqual([
      ['latest', '3.14'],
      ['3.13', '3.13.1'],
    ]);
    // The attestations 3.13's index holds for it; the signature naming that index.
    expect(owners.viaIndex[1]).toMatchObject({
      attestations: truth.tags['3.13']!.attestations.filter((a) => a.for === amd64.digest).map((a) => ({ digest: a.digest, for: a.for })),
      signatures: [signatureOf(truth.tags['3.13']!.digest)],
    });
    expect(owners.viaIndex[0]).toMatchObject({ attestations: [], signatures: [] });
    expect(front.counts()).toMatchObject({ manifestHead: 0, manifestGet: distinctIndexes });
  });

  it('a platform digest tagged on its own too: the tag, and the index that holds it', async () => {
    const nested = harness.truth.nested;
    const own = nested.tags['outer-s390x']!;
    const owners = await findTagsFor(parseReference(nested.repository.replace(harness.open.host, front.host)), own.digest, { throughIndexes: true });
    expect(owners.direct).toEqual(['outer-s390x']);
    expect(owners.viaIndex).toEqual([{ tags: ['outer'], index: nested.tags.outer!.digest, platform: 'linux/s390x', attestations: [], signatures: [] }]);
  });
});
