import { describe, expect, it } from 'vitest';
import { checkHostLiteral, guardedLookup, isPublicAddress } from '@/lib/registry/address-policy';
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
