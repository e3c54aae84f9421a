import { describe, expect, it } from 'vitest';
import { formatPlatform, normalizePlatform, parsePlatform, platformKey } from '@/lib/registry/platform';

describe('normalizePlatform follows containerd', () => {
  it.each([
    [{ os: 'linux', architecture: 'x86_64' }, 'linux/amd64'],
    [{ os: 'linux', architecture: 'amd64', variant: 'v1' }, 'linux/amd64'],
    [{ os: 'linux', architecture: 'amd64', variant: 'v3' }, 'linux/amd64/v3'],
    [{ os: 'linux', architecture: 'aarch64' }, 'linux/arm64'],
    [{ os: 'linux', architecture: 'arm64', variant: 'v8' }, 'linux/arm64'],
    [{ os: 'linux', architecture: 'arm64', variant: '9' }, 'linux/arm64/v9'],
    [{ os: 'linux', architecture: 'armhf' }, 'linux/arm/v7'],
    [{ os: 'linux', architecture: 'armel' }, 'linux/arm/v6'],
    [{ os: 'linux', architecture: 'arm' }, 'linux/arm/v7'],
    [{ os: 'linux', architecture: 'arm', variant: '6' }, 'linux/arm/v6'],
    [{ os: 'linux', architecture: 'i386' }, 'linux/386'],
    [{ os: 'MacOS', architecture: 'arm64' }, 'darwin/arm64'],
    [{ os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763.1234' }, 'windows(10.0.17763.1234)/amd64'],
  ])('%j → %s', (platform, expected) => {
    expect(formatPlatform(normalizePlatform(platform))).toBe(expected);
  });

  // arm64 matches arm64/v8 and arm matches arm/v7 (one key each), Windows versions stay apart.
  it.each([
    [{ os: 'linux', architecture: 'arm64' }, 'linux/arm64'],
    [{ os: 'linux', architecture: 'arm64', variant: 'v8' }, 'linux/arm64'],
    [{ os: 'linux', architecture: 'arm' }, 'linux/arm/v7'],
    [{ os: 'linux', architecture: 'arm', variant: 'v7' }, 'linux/arm/v7'],
    [{ os: 'windows', architecture: 'amd64', 'os.version': '10.0.1' }, 'windows(10.0.1)/amd64'],
    [{ os: 'windows', architecture: 'amd64', 'os.version': '10.0.2' }, 'windows(10.0.2)/amd64'],
  ])('the key of %j is %s', (platform, key) => {
    expect(platformKey(platform)).toBe(key);
  });

  it('formats what the index says, unnormalized', () => {
    expect(formatPlatform({ os: 'linux', architecture: 'arm64', variant: 'v8' })).toBe('linux/arm64/v8');
  });
});

describe('parsePlatform', () => {
  it.each([
    ['linux/amd64', { os: 'linux', architecture: 'amd64' }],
    ['linux/arm/v7', { os: 'linux', architecture: 'arm', variant: 'v7' }],
    ['windows(10.0.17763)/amd64', { os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763' }],
    ['linux', null],
    ['linux/arm/v7/extra', null],
    ['', null],
  ])('%s', (text, expected) => {
    expect(parsePlatform(text)).toEqual(expected);
  });
});
