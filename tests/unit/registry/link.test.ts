import { describe, expect, it } from 'vitest';
import { parseNextLink } from '@/lib/registry/link';

describe('parseNextLink finds rel="next" however the Link header is written', () => {
  it.each([
    ['distribution (relative, last before n)', '</v2/app/tags/list?last=b&n=100>; rel="next"', '/v2/app/tags/list?last=b&n=100'],
    ['quay (absolute)', '<https://quay.io/v2/x/tags/list?n=100&last=23.0.4-0>; rel="next"', 'https://quay.io/v2/x/tags/list?n=100&last=23.0.4-0'],
    ['unquoted rel', '</next>; rel=next', '/next'],
    ['several links, next second', '</prev>; rel="prev", </next>; rel="next"', '/next'],
    ['several rel values', '</n>; rel="last next"', '/n'],
    ['a comma inside a quoted parameter', '</a>; title="a, b"; rel="prev", </b>; rel="next"', '/b'],
    ['no next', '</prev>; rel="prev"', null],
    ['no header', null, null],
    ['garbage', 'rel="next"', null],
  ])('%s', (_, header, expected) => {
    expect(parseNextLink(header)).toBe(expected);
  });
});
