import { describe, expect, it } from 'vitest';
import { AddressPolicy, checkHostLiteral, guardedLookup, isPublicAddress } from '@/lib/registry/address-policy';
import { RegistryError } from '@/lib/registry/errors';

describe('isPublicAddress', () => {
  it.each([
    ['8.8.8.8', true],
    ['1.1.1.1', true],
    ['2606:4700:4700::1111', true],
    ['127.0.0.1', false],
    ['127.255.255.254', false],
    ['10.0.0.5', false],
    ['172.16.0.1', false],
    ['172.31.255.255', false],
    ['172.32.0.1', true],
    ['192.168.1.1', false],
    ['100.64.0.1', false],
    ['169.254.169.254', false],
    ['0.0.0.0', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['::1', false],
    ['::', false],
    ['fd00:ec2::254', false],
    ['fe80::1', false],
    ['ff02::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:8.8.8.8', false],
    ['64:ff9b::a00:1', false],
    ['not an ip', false],
  ])('%s → %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});

describe('checkHostLiteral refuses every spelling of a private address, before anything is sent', () => {
  it.each([
    'https://127.0.0.1/',
    'https://2130706433/', // decimal
    'https://0x7f000001/', // hex
    'https://0x7f.1/', // hex, short
    'https://0177.0.0.1/', // octal
    'https://127.1/', // short form
    'https://[::1]/',
    'https://[::ffff:127.0.0.1]/', // IPv4-mapped
    'https://[::ffff:7f00:1]/',
    'https://169.254.169.254/latest/meta-data/',
    'https://[fd00:ec2::254]/',
    'https://10.1.2.3:5000/',
    'https://localhost:5000/',
    'https://registry.localhost/',
    'https://0/',
  ])('%s', (url) => {
    let caught: unknown;
    try {
      checkHostLiteral(new URL(url));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RegistryError);
    expect((caught as RegistryError).code).toBe('ADDRESS_NOT_ALLOWED');
  });

  it.each(['https://8.8.8.8/', 'https://[2606:4700::1111]/', 'https://ghcr.io/', 'https://registry-1.docker.io/'])('lets %s through (names are checked when resolved)', (url) => {
    expect(() => checkHostLiteral(new URL(url))).not.toThrow();
  });
});

describe('the IPv6 special-purpose blocks are refused, in every spelling the URL parser produces', () => {
  it.each([
    // [as typed in a URL, what the URL parser makes of it, the block]
    ['[::127.0.0.1]', '[::7f00:1]', 'IPv4-compatible ::/96 (RFC 4291)'],
    ['[0:0:0:0:0:0:a00:1]', '[::a00:1]', 'IPv4-compatible ::/96'],
    ['[::8.8.8.8]', '[::808:808]', 'IPv4-compatible, even of a public IPv4'],
    ['[::2]', '[::2]', 'IPv4-compatible ::/96'],
    ['[::ffff:0:10.0.0.1]', '[::ffff:0:a00:1]', 'IPv4-translated ::ffff:0:0:0/96 (RFC 2765)'],
    ['[64:ff9b::10.0.0.1]', '[64:ff9b::a00:1]', 'NAT64 64:ff9b::/96 (RFC 6052)'],
    ['[64:ff9b:1::10.0.0.1]', '[64:ff9b:1::a00:1]', 'NAT64 local-use 64:ff9b:1::/48 (RFC 8215)'],
    ['[64:FF9B:0001:FFFF::1]', '[64:ff9b:1:ffff::1]', 'NAT64 local-use, upper case'],
    ['[100::1]', '[100::1]', 'discard-only 100::/64 (RFC 6666)'],
    ['[100:0:0:1::1]', '[100:0:0:1::1]', 'dummy prefix 100:0:0:1::/64 (RFC 9780)'],
    ['[2001:0:4136:e378:8000:63bf:3fff:fdd2]', '[2001:0:4136:e378:8000:63bf:3fff:fdd2]', 'Teredo 2001::/32 (RFC 4380)'],
    ['[2001:0000::1]', '[2001::1]', 'Teredo, compressed'],
    ['[2001:2:0:0::1]', '[2001:2::1]', 'benchmarking 2001:2::/48 (RFC 5180)'],
    ['[2001:10::1]', '[2001:10::1]', 'ORCHID 2001:10::/28 (RFC 4843)'],
    ['[2001:1f:ffff::1]', '[2001:1f:ffff::1]', 'ORCHID, last /32 of the /28'],
    ['[2001:db8::1]', '[2001:db8::1]', 'documentation 2001:db8::/32 (RFC 3849)'],
    ['[3fff:0fff::1]', '[3fff:fff::1]', 'documentation 3fff::/20 (RFC 9637)'],
    ['[5F00::1]', '[5f00::1]', 'SRv6 SIDs 5f00::/16 (RFC 9602)'],
    ['[2002:a00:1::1]', '[2002:a00:1::1]', '6to4 2002::/16 (RFC 3056)'],
    ['[FEC0::1]', '[fec0::1]', 'site-local fec0::/10 (RFC 3879)'],
  ])('%s (%s): %s', (typed, parsed, _block) => {
    const url = new URL(`https://${typed}:5000/`);
    expect(url.hostname).toBe(parsed);
    expect(isPublicAddress(parsed.slice(1, -1))).toBe(false);
    let caught: unknown;
    try {
      checkHostLiteral(url);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'ADDRESS_NOT_ALLOWED' });
  });

  it.each([
    '2606:4700:4700::1111', // Cloudflare
    '2001:4860:4860::8888', // Google, just past 2001::/23's special blocks
    '2001:20::1', // ORCHIDv2 (RFC 7343) is globally reachable
    '2a00:1450:4001::1',
    '2c0f:fb50:4003::1',
    '2001:200::1', // WIDE (APNIC), the first block past 2001::/23
  ])('lets the global unicast %s through', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('guardedLookup', () => {
  const lookup = (host: string, all: boolean) =>
    new Promise<{ error: unknown; address: unknown }>((resolve) => guardedLookup(host, { all }, (error, address) => resolve({ error, address })));

  it('refuses a name that resolves to loopback, so nothing is connected to', async () => {
    for (const all of [false, true]) {
      const { error } = await lookup('localhost', all);
      expect(error).toBeInstanceOf(RegistryError);
      expect((error as RegistryError).code).toBe('ADDRESS_NOT_ALLOWED');
      expect((error as RegistryError).message).toMatch(/localhost is at (127\.0\.0\.1|::1)/);
    }
  });

  it('hands over a public IP literal as it is, in either callback form', async () => {
    expect(await lookup('8.8.8.8', false)).toEqual({ error: null, address: '8.8.8.8' });
    expect(await lookup('8.8.8.8', true)).toEqual({ error: null, address: [{ address: '8.8.8.8', family: 4 }] });
  });
});

describe('AddressPolicy.vet: work stored for later (a watch) is checked when it is stored', () => {
  const policy = new AddressPolicy(['127.0.0.1:5000']);

  it.each([
    ['the cloud metadata address', 'https://169.254.169.254/'],
    ['a Docker daemon on loopback', 'https://localhost:2375/'],
    ['a private network address', 'https://10.0.0.1/'],
    ['plain http to a host that is no insecure entry', 'http://registry.example/'],
  ])('refuses %s', async (_, url) => {
    await expect(policy.vet(new URL(url))).rejects.toMatchObject({ code: 'ADDRESS_NOT_ALLOWED' });
  });

  it.each([
    ['an insecure entry', 'http://127.0.0.1:5000/'],
    ['a public address', 'https://198.41.0.4/'],
    // RFC 2606: never resolves. The request made later says so, and is checked when it connects.
    ['a name that does not resolve', 'https://registry.invalid/'],
  ])('lets %s pass', async (_, url) => {
    await expect(policy.vet(new URL(url), 2_000)).resolves.toBeUndefined();
  });
});
