// The answer proxy.ts gives a host name the server does not answer to: 421, the API's JSON error
// under /api/ and /metrics, a page elsewhere, naming the variable to set, with the name escaped.
import { describe, expect, it } from 'vitest';
import { hostRefusal } from '@/lib/api/host-refusal';
import { parseTrustedProxies } from '@/lib/api/rate-limit';

const options = { peerHeader: null, trustedProxies: parseTrustedProxies(''), publicOrigins: [] };
const ask = (path: string, host: string) => hostRefusal(new Request(`http://127.0.0.1:3000${path}`, { headers: { host } }), options);

describe('hostRefusal', () => {
  it('lets an allowed name through', () => {
    expect(ask('/api/health', '127.0.0.1:3000')).toBeNull();
  });

  it.each([
    ['/api/v1/tags', 'application/json'],
    ['/metrics', 'application/json'],
    ['/r/alpine', 'text/html; charset=utf-8'],
    ['/_next/static/chunks/app.js', 'text/html; charset=utf-8'],
  ])('%s: 421 as %s, naming the variable and the origin to set', async (path, type) => {
    const response = ask(path, 'tagscope.lan:3000')!;
    expect(response.status).toBe(421);
    expect(response.headers.get('content-type')).toBe(type);
    expect(await response.text()).toContain('set TAGSCOPE_PUBLIC_ORIGIN=http://tagscope.lan:3000');
  });

  it('escapes a Host that carries markup, and suggests no origin made of it', async () => {
    const page = await ask('/', '<img src=x onerror=alert(1)>')!.text();
    expect(page).not.toContain('<img');
    expect(page).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(page).toContain('TAGSCOPE_PUBLIC_ORIGIN=http://tagscope.lan:3000');
  });
});
