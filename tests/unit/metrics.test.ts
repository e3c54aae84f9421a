import { describe, expect, it } from 'vitest';
import type { RequestEvent } from '@/lib/registry/transport';
import { hostLabel, MAX_HOSTS, recordUpstream, scrape } from '@/lib/server/metrics';

const event = (overrides: Partial<RequestEvent>): RequestEvent => ({
  registry: 'registry.example',
  method: 'GET',
  url: 'https://registry.example/v2/team/secret-app/manifests/v1.2.3',
  kind: 'manifest',
  status: 200,
  durationMs: 12,
  error: null,
  ratelimitRemaining: null,
  ...overrides,
});

describe('metrics: bounded labels', () => {
  it('gives the first MAX_HOSTS registry hosts their own series and folds the rest into other', () => {
    for (let i = 0; i < MAX_HOSTS + 50; i++) hostLabel(`host-${i}.example`);
    expect(hostLabel('host-0.example')).toBe('host-0.example');
    expect(hostLabel('one-more.example')).toBe('other');
  });

  it('counts an upstream request by host, kind and status class, never by repository or tag', async () => {
    recordUpstream(event({ registry: 'host-1.example', ratelimitRemaining: 42 }));
    recordUpstream(event({ registry: 'host-1.example', method: 'HEAD', status: 404 }));
    recordUpstream(event({ registry: 'host-1.example', kind: 'token', status: null, error: 'ECONNREFUSED' }));
    const { body } = await scrape();
    expect(body).toContain('tagscope_upstream_requests_total{registry="host-1.example",kind="manifest_get",status_class="2xx"} 1');
    expect(body).toContain('tagscope_upstream_requests_total{registry="host-1.example",kind="manifest_head",status_class="4xx"} 1');
    expect(body).toContain('tagscope_upstream_requests_total{registry="host-1.example",kind="token",status_class="error"} 1');
    expect(body).toContain('tagscope_pulls_spent_total{registry="host-1.example"} 1');
    expect(body).toContain('tagscope_pulls_remaining{registry="host-1.example"} 42');
    expect(body).not.toMatch(/secret-app|v1\.2\.3/);
  });
});
