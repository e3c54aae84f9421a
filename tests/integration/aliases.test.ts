// Finding the tags that alias an image costs HEADs only (free on Docker Hub), and a platform
// digest's tags cost one GET per distinct index — never a GET per platform manifest.
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
  const distinctDigests = new Set(Object.values(truth.tags).filter((t) => t.kind !== 'signature').map((t) => t.digest)).size;

  it('finds the aliases of an index with one HEAD per tag and no GET', async () => {
    front.reset();
    const owners = await findTagsFor(parseReference(`${front.host}/library/demo`), truth.tags['3.12']!.digest);
    expect(owners).toEqual({ direct: ['3.12', '3.12.9', '3.12.9-r0'], viaIndex: [], incomplete: null });
    expect(front.counts()).toMatchObject({ tagPage: 1, manifestHead: tagCount, manifestGet: 0 });
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
    expect(front.counts()).toMatchObject({ manifestHead: 0, manifestGet: distinctDigests });
  });
});
