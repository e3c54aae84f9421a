// A transport whose web API for one registry (Docker Hub's, Quay's) is an emulator on loopback,
// listed as insecure, with every request it makes recorded; and a hostile Hub API of endless pages.
import http from 'node:http';
import { listenOnLoopback } from './ports';
import { hubTag } from './harness/hub';
import { Transport, type RegistryApiKind, type RequestEvent, type TransportOptions } from '@/lib/registry';

export function emulatedWebApi(
  registry: string,
  kind: RegistryApiKind,
  emulator: { url: string; host: string },
  options: TransportOptions & { baseUrl?: string } = {},
): { transport: Transport; events: RequestEvent[] } {
  const events: RequestEvent[] = [];
  const { baseUrl = emulator.url, ...rest } = options;
  const transport = new Transport({
    insecureRegistries: [emulator.host],
    registryApis: new Map([[registry, { kind, baseUrl: new URL(baseUrl) }]]),
    onRequest: (event) => events.push(event),
    ...rest,
  });
  return { transport, events };
}

/** Web API base URLs the address policy refuses unless listed, by what they are; `port` is the emulator's. */
export const REFUSED_API_BASES: [string, (port: string) => string][] = [
  ['plain http to an address not listed', (port) => `http://127.0.0.1:${port}`],
  ['https to loopback not listed', (port) => `https://127.0.0.1:${port}`],
  ['localhost by name', (port) => `https://localhost:${port}`],
  ['a private address', () => 'https://10.1.2.3'],
  ['the metadata address', () => 'https://169.254.169.254'],
];

/**
 * A hostile (or broken) Docker Hub API on loopback: tag pages of 100 tags (one image each, so a
 * view needs no HEAD) padded to about 3.9 MB, each with a `next` to the following page for
 * ever and a `count` that promises a million, and a token for anyone who asks. Any other path
 * (a registry's /v2) is a 404.
 */
export async function startEndlessHubApi() {
  const padding = 'x'.repeat(39_000);
  const paths: string[] = [];
  let self = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', self);
    paths.push(url.pathname + url.search);
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/v2/auth/token') return json(200, { access_token: 'endless-token' });
    if (!url.pathname.endsWith('/tags')) return json(404, { message: 'not found' });
    const page = Number(url.searchParams.get('page') ?? 1);
    const next = new URL(url);
    next.searchParams.set('page', String(page + 1));
    const digest = `sha256:${'b'.repeat(64)}`;
    const image = { architecture: 'amd64', features: '', variant: null, digest: `sha256:${'c'.repeat(64)}`, os: 'linux', os_features: '', os_version: null, size: 1, status: 'active' as const, last_pulled: null, last_pushed: null };
    const results = Array.from({ length: 100 }, (_, i) => ({ ...hubTag({ name: `p${page}-t${i}`, digest, images: [image] }), padding }));
    json(200, { count: 1_000_000, next: next.href, previous: null, results });
  });
  const { host, url, stop } = await listenOnLoopback(server);
  self = url;
  return { host, url, stop, paths, tagPages: () => paths.filter((p) => p.includes('/tags')).length };
}
