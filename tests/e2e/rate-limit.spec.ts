// Our own per-client API rate limit (TAGSCOPE_RATE_LIMIT) through the server `npm start` runs:
// a client cannot buy a fresh bucket per request with a forged X-Forwarded-For, and behind a
// trusted proxy (TAGSCOPE_TRUSTED_PROXIES) each forwarded client has its own bucket. Every
// test has its own server, since all of them come from 127.0.0.1.
import { expect, test } from '@playwright/test';
import { startNextServer, type RunningServer } from '../support/next-server';

function withServer(env: Record<string, string>) {
  let server: RunningServer | undefined;
  test.beforeAll(async () => {
    server = await startNextServer({ TAGSCOPE_RATE_LIMIT: '3', ...env });
  });
  test.afterAll(async () => {
    await server?.stop();
  });
  return (headers: Record<string, string> = {}) => fetch(`${server!.url}/api/v1/reference?reference=alpine`, { headers });
}

test.describe('no trusted proxies (the default)', () => {
  const get = withServer({});

  test('a forged X-Forwarded-For on each request still gets 429 RATE_LIMITED with Retry-After on the fourth', async () => {
    const responses: Response[] = [];
    for (let i = 1; i <= 4; i++) responses.push(await get({ 'x-forwarded-for': `203.0.113.${i}`, 'x-real-ip': `198.51.100.${i}` }));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    const last = responses[3]!;
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await last.json()).error).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfter: expect.any(Number) } });
  });
});

test.describe('TAGSCOPE_TRUSTED_PROXIES=127.0.0.1,10.0.0.0/8', () => {
  const get = withServer({ TAGSCOPE_TRUSTED_PROXIES: '127.0.0.1,10.0.0.0/8' });

  test('each forwarded client has its own bucket; spoofed entries left of it and trusted hops right of it do not change it', async () => {
    const statuses = async (forwarded: string[]) => {
      const out: number[] = [];
      for (const value of forwarded) out.push((await get({ 'x-forwarded-for': value })).status);
      return out;
    };
    expect(await statuses(['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4', '203.0.113.5'])).toEqual([200, 200, 200, 200, 200]);
    // One client behind a chain of proxies, claiming a different origin each time: one bucket.
    expect(await statuses(['6.6.6.1, 198.51.100.7, 10.0.0.1', '6.6.6.2, 198.51.100.7, 10.0.0.2', '6.6.6.3, 198.51.100.7', '198.51.100.7, 10.9.9.9'])).toEqual([200, 200, 200, 429]);
    expect((await get({ 'x-forwarded-for': '203.0.113.9' })).status).toBe(200);
  });
});
