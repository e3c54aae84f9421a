import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toApiError } from '@/lib/api/errors';
import { DEFAULT_EXAMPLES, parseByteSize, readConfig } from '@/lib/server/env';

describe('parseByteSize: TAGSCOPE_CACHE_MAX_BYTES values', () => {
  it.each([
    ['1073741824', 1_073_741_824],
    ['4096', 4096],
    ['512MiB', 512 * 2 ** 20],
    ['2GiB', 2 * 2 ** 30],
    ['2gib', 2 * 2 ** 30],
    ['500MB', 500_000_000],
    ['64KiB', 65_536],
    ['10kB', 10_000],
    ['1TB', 1e12],
    ['1.5GiB', 1.5 * 2 ** 30],
    [' 100 B ', 100],
  ])('%j → %d bytes', (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });

  it.each(['', 'big', '-1', '0', '0MiB', '1.5', '5 XB', '2G', '1e9', 'MiB', '1 GiB extra', '99999999999TiB'])('%j is refused', (text) => {
    expect(parseByteSize(text)).toBeNull();
  });
});

describe('readConfig: the new variables', () => {
  it('defaults: a 1 GiB disk cache, no trusted proxies, no peer or status header', () => {
    const config = readConfig({});
    expect(config.cacheMaxBytes).toBe(1_073_741_824);
    expect(config.trustedProxies.check('127.0.0.1')).toBe(false);
    expect(config.peerHeader).toBeNull();
    expect(config.statusHeader).toBeNull();
    expect(config.examples).toEqual(DEFAULT_EXAMPLES);
    expect(config.metrics).toEqual({ enabled: false, token: null });
    expect(config.logLevel).toBe('info');
  });

  it.each([
    ['TAGSCOPE_METRICS=1 serves /metrics to anyone', { TAGSCOPE_METRICS: '1' }, { enabled: true, token: null }],
    ['TAGSCOPE_METRICS=0 keeps it off', { TAGSCOPE_METRICS: '0' }, { enabled: false, token: null }],
    ['a token alone turns it on, behind the token', { TAGSCOPE_METRICS_TOKEN: 'abcdefghijklmnop' }, { enabled: true, token: 'abcdefghijklmnop' }],
    ['an empty token is no token', { TAGSCOPE_METRICS: '1', TAGSCOPE_METRICS_TOKEN: '' }, { enabled: true, token: null }],
  ])('%s', (_, env, metrics) => {
    expect(readConfig(env).metrics).toEqual(metrics);
  });

  it('a bad TAGSCOPE_METRICS_TOKEN is never repeated in the message', () => {
    expect(() => readConfig({ TAGSCOPE_METRICS_TOKEN: 'not-long' })).toThrow(/^(?!.*not-long).*TAGSCOPE_METRICS_TOKEN/);
  });

  it('reads TAGSCOPE_EXAMPLES as a comma list of references', () => {
    expect(readConfig({ TAGSCOPE_EXAMPLES: ' localhost:5000/team/app , localhost:5000/team/app:1.2,' }).examples).toEqual(['localhost:5000/team/app', 'localhost:5000/team/app:1.2']);
  });

  it('reads the history variables: the data folder, PostgreSQL, watches, their interval, the webhook', () => {
    const defaults = readConfig({}).history;
    expect(defaults).toMatchObject({ databaseUrl: null, watch: [], watchIntervalMs: 600_000, webhookUrl: null, webhookSecret: null });
    expect(defaults.dataDir).toBe(path.resolve('.data'));
    const config = readConfig({
      TAGSCOPE_DATA_DIR: '/var/lib/tagscope',
      DATABASE_URL: 'postgresql://tagscope:secret@db:5432/history',
      TAGSCOPE_WATCH: ' alpine , ghcr.io/org/app,alpine,docker.io/library/alpine ',
      TAGSCOPE_WATCH_INTERVAL_SECONDS: '2',
      TAGSCOPE_WEBHOOK_URL: 'https://hooks.example/tagscope',
      TAGSCOPE_WEBHOOK_SECRET: 'shared-with-the-receiver',
    }).history;
    expect(config.dataDir).toBe('/var/lib/tagscope');
    expect(config.databaseUrl).toBe('postgresql://tagscope:secret@db:5432/history');
    // Spellings of one repository count once.
    expect(config.watch.map((repo) => repo.repository)).toEqual(['docker.io/library/alpine', 'ghcr.io/org/app']);
    expect(config.watchIntervalMs).toBe(2_000);
    expect(config.webhookUrl?.href).toBe('https://hooks.example/tagscope');
    expect(config.webhookSecret).toBe('shared-with-the-receiver');
  });

  it.each([
    ['unset: the newest 1,000 runs per tag and 20,000 rows per repository', {}, { runsPerTag: 1_000, rowsPerRepository: 20_000 }],
    ['set', { TAGSCOPE_HISTORY_RUNS_PER_TAG: '50', TAGSCOPE_HISTORY_ROWS_PER_REPOSITORY: '5000' }, { runsPerTag: 50, rowsPerRepository: 5_000 }],
  ])('reads the history retention policy: %s', (_, env, retention) => {
    expect(readConfig(env).history.retention).toEqual(retention);
  });

  it.each([
    ['TAGSCOPE_HISTORY_RUNS_PER_TAG', '0', /TAGSCOPE_HISTORY_RUNS_PER_TAG.*1 or more/],
    ['TAGSCOPE_HISTORY_RUNS_PER_TAG', 'many', /TAGSCOPE_HISTORY_RUNS_PER_TAG.*whole number/],
    ['TAGSCOPE_HISTORY_ROWS_PER_REPOSITORY', '99', /TAGSCOPE_HISTORY_ROWS_PER_REPOSITORY.*100 or more/],
    ['TAGSCOPE_HISTORY_ROWS_PER_REPOSITORY', '2.5', /TAGSCOPE_HISTORY_ROWS_PER_REPOSITORY.*whole number/],
  ])('refuses %s=%s at start-up, naming it', (name, value, message) => {
    expect(() => readConfig({ [name]: value })).toThrow(message);
  });

  it('reads them', () => {
    const config = readConfig({
      TAGSCOPE_CACHE_MAX_BYTES: '256MiB',
      TAGSCOPE_TRUSTED_PROXIES: '127.0.0.1,10.0.0.0/8',
      TAGSCOPE_PUBLIC_ORIGIN: 'HTTPS://Tagscope.Example:443/, http://tagscope.lan:3000',
      TAGSCOPE_PEER_HEADER: 'x-peer',
      TAGSCOPE_STATUS_HEADER: 'x-request',
    });
    expect(config.cacheMaxBytes).toBe(256 * 2 ** 20);
    expect(config.publicOrigins).toEqual(['https://tagscope.example', 'http://tagscope.lan:3000']);
    expect(config.trustedProxies.check('10.20.30.40')).toBe(true);
    expect(config.peerHeader).toBe('x-peer');
    expect(config.statusHeader).toBe('x-request');
  });

  it.each([
    ['TAGSCOPE_CONCURRENCY', '0', 'TAGSCOPE_CONCURRENCY=0 is not valid: Too small: expected number to be >=1'],
    ['TAGSCOPE_TAG_TTL_SECONDS', 'soon', 'TAGSCOPE_TAG_TTL_SECONDS=soon is not valid: Invalid input: expected number, received NaN'],
    ['REGISTRY_AUTH_FILE', '/nonexistent/auth.json', 'cannot read REGISTRY_AUTH_FILE /nonexistent/auth.json'],
    ['TAGSCOPE_CACHE_MAX_BYTES', 'lots', 'TAGSCOPE_CACHE_MAX_BYTES=lots is not valid: expected a size in bytes such as 1073741824, 512MiB, 2GiB or 500MB'],
    ['TAGSCOPE_TRUSTED_PROXIES', '127.0.0.1,proxy.local', 'TAGSCOPE_TRUSTED_PROXIES=127.0.0.1,proxy.local is not valid: "proxy.local" is not an IP address or CIDR range (e.g. 127.0.0.1,10.0.0.0/8)'],
    ['TAGSCOPE_PUBLIC_ORIGIN', 'tagscope.lan:3000', 'TAGSCOPE_PUBLIC_ORIGIN=tagscope.lan:3000 is not valid: "tagscope.lan:3000" is not an origin: expected a scheme, a host name and maybe a port, such as http://tagscope.lan:3000'],
    ['TAGSCOPE_PUBLIC_ORIGIN', 'https://tagscope.example/app', 'TAGSCOPE_PUBLIC_ORIGIN=https://tagscope.example/app is not valid: "https://tagscope.example/app" is not an origin'],
    ['TAGSCOPE_EXAMPLES', 'alpine,Not/Valid', 'TAGSCOPE_EXAMPLES=alpine,Not/Valid is not valid: "Not/Valid" is not an image reference: '],
    ['TAGSCOPE_METRICS', 'yes', 'TAGSCOPE_METRICS=yes is not valid: expected 1 (serve /metrics) or 0'],
    ['TAGSCOPE_METRICS_TOKEN', 'short secret', 'TAGSCOPE_METRICS_TOKEN=(hidden) is not valid: expected at least 16 visible ASCII characters'],
    ['TAGSCOPE_WEBHOOK_SECRET', 'hunter2', 'TAGSCOPE_WEBHOOK_SECRET=(hidden) is not valid: expected at least 16 visible ASCII characters'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL=loud is not valid: expected one of fatal, error, warn, info, debug, trace, silent'],
    ['DATABASE_URL', 'mysql://root:hunter2@db/tagscope', 'DATABASE_URL=(hidden) is not valid: expected a postgres:// URL, not mysql:// (the embedded database needs no URL: leave DATABASE_URL unset)'],
    ['DATABASE_URL', 'hunter2', 'DATABASE_URL=(hidden) is not valid: expected a URL such as postgres://user:password@host:5432/tagscope'],
    ['TAGSCOPE_WATCH', 'alpine, ghcr.io/Org/App', 'TAGSCOPE_WATCH=alpine, ghcr.io/Org/App is not valid: entry "ghcr.io/Org/App" is not a repository: '],
    ['TAGSCOPE_WATCH', 'alpine:3.20', 'TAGSCOPE_WATCH=alpine:3.20 is not valid: entry "alpine:3.20" is not a repository: "alpine:3.20" is not a valid image reference: a repository has no tag or digest. Try "docker.io/library/alpine"'],
    ['TAGSCOPE_WATCH_INTERVAL_SECONDS', '0', 'TAGSCOPE_WATCH_INTERVAL_SECONDS=0 is not valid: expected a whole number of seconds, 1 or more'],
    ['TAGSCOPE_WATCH_INTERVAL_SECONDS', '1.5', 'TAGSCOPE_WATCH_INTERVAL_SECONDS=1.5 is not valid: expected a whole number of seconds, 1 or more'],
    ['TAGSCOPE_WATCH_INTERVAL_SECONDS', 'hourly', 'TAGSCOPE_WATCH_INTERVAL_SECONDS=hourly is not valid: expected a whole number of seconds, 1 or more'],
    ['TAGSCOPE_WEBHOOK_URL', 'ftp://hooks.example/x?token=s3cret', 'TAGSCOPE_WEBHOOK_URL must be an https (or http) URL, not ftp'],
  ])('a bad %s stops start-up with one line naming it', (name, value, message) => {
    expect(() => readConfig({ [name]: value })).toThrow(message);
    try {
      readConfig({ [name]: value });
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
      // A coded error, so the API and the pages say "misconfigured", not "unexpected error".
      expect(error).toMatchObject({ code: 'INVALID_CONFIGURATION', details: { variable: name } });
      expect(toApiError(error).toJSON()).toMatchObject({ code: 'INVALID_CONFIGURATION', details: { variable: name } });
    }
  });
});
