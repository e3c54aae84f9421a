import { describe, expect, it } from 'vitest';
import { parseInsecureRegistries, Transport } from '@/lib/registry/transport';

describe('Transport.baseUrl: https always, http only for insecure registries', () => {
  const transport = new Transport({ insecureRegistries: parseInsecureRegistries(' localhost:5000 , Registry.Local:80,') });
  it.each([
    ['docker.io', 'https://registry-1.docker.io/'],
    ['ghcr.io', 'https://ghcr.io/'],
    ['localhost:5000', 'http://localhost:5000/'],
    ['registry.local:80', 'http://registry.local/'],
    ['localhost:5001', 'https://localhost:5001/'],
    ['[::1]:5000', 'https://[::1]:5000/'],
  ])('%s → %s', (registry, url) => {
    expect(transport.baseUrl(registry).toString()).toBe(url);
  });

  it('allows plain http to an insecure registry on port 80, whose URL drops the port', async () => {
    // Nothing listens on registry.local; the request gets past the address policy and fails to connect.
    const error = await new Transport({ insecureRegistries: ['registry.invalid:80'], retries: 0 })
      .send({ registry: 'registry.invalid:80', repository: 'x', method: 'GET', url: new URL('http://registry.invalid:80/v2/'), kind: 'tags', maxBytes: 10, describe: 'x' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNREACHABLE' });
  });

  it('parses TAGSCOPE_INSECURE_REGISTRIES leniently', () => {
    expect(parseInsecureRegistries(' a:1 ,, B:2 ')).toEqual(['a:1', 'b:2']);
    expect(parseInsecureRegistries(undefined)).toEqual([]);
  });
});
