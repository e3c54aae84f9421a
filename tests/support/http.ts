// Plain HTTP against the test registries, written from the spec and independent of
// lib/registry, so tests can check the harness and the product against the wire.

import { createHash } from 'node:crypto';
import http from 'node:http';

export const FULL_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export function sha256Hex(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function basicHeader(user: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
}

export function challengeParams(header: string | null): Record<string, string> {
  return Object.fromEntries([...(header ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!.toLowerCase(), m[2]!]));
}

/** Fetches a token the way `docker pull` does, for `repository:<repo>:pull`. */
export async function fetchToken(
  realm: string,
  service: string,
  repository: string,
  user?: { username: string; password: string },
): Promise<Response> {
  const url = new URL(realm);
  url.searchParams.set('service', service);
  url.searchParams.set('scope', `repository:${repository}:pull`);
  return fetch(url, { headers: user ? { authorization: basicHeader(user) } : {} });
}

export async function getManifest(baseUrl: string, repository: string, reference: string, authorization?: string) {
  const response = await fetch(`${baseUrl}/v2/${repository}/manifests/${reference}`, {
    headers: { accept: FULL_ACCEPT, ...(authorization ? { authorization } : {}) },
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { response, bytes, digest: sha256Hex(bytes) };
}

export interface RawAnswer {
  status: number;
  contentType: string | undefined;
  body: string;
}

/** One request with headers fetch() does not let a caller choose (Host among them), as any HTTP client can send them. */
export function rawRequest(url: string, { method = 'GET', headers = {} }: { method?: string; headers?: Record<string, string> } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, contentType: response.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}
