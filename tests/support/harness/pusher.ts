// Pushes content through the registry HTTP API (distribution-spec "Push"): blobs by POST then
// PUT, manifests by PUT. Handles the harness's own auth (Basic, or a Bearer token fetched with
// Basic credentials) in a few lines; it is test plumbing, not the product's client.

import type { Content } from './oci';

export interface PushTarget {
  url: string;
  credentials?: { username: string; password: string };
}

export class Pusher {
  private token: { scope: string; value: string } | null = null;

  constructor(private readonly target: PushTarget) {}

  private basic(): string | null {
    const c = this.target.credentials;
    return c ? `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}` : null;
  }

  private async request(repository: string, url: string, init: RequestInit, retried = false): Promise<Response> {
    const headers = new Headers(init.headers);
    const scope = `repository:${repository}:pull,push`;
    if (this.token?.scope === scope) headers.set('authorization', `Bearer ${this.token.value}`);
    else if (this.basic() && !this.token) headers.set('authorization', this.basic()!);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    if (response.status !== 401 || retried) return response;
    const challenge = response.headers.get('www-authenticate') ?? '';
    await response.body?.cancel();
    if (/^bearer /i.test(challenge)) {
      const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!.toLowerCase(), m[2]!]));
      const tokenUrl = new URL(params.realm!);
      tokenUrl.searchParams.set('service', params.service ?? '');
      tokenUrl.searchParams.append('scope', scope);
      const tokenResponse = await fetch(tokenUrl, { headers: this.basic() ? { authorization: this.basic()! } : {} });
      if (!tokenResponse.ok) throw new Error(`token request for push failed: ${tokenResponse.status}`);
      const body = (await tokenResponse.json()) as { token?: string; access_token?: string };
      this.token = { scope, value: body.token ?? body.access_token ?? '' };
    }
    return this.request(repository, url, init, true);
  }

  private async expect(response: Response, statuses: number[], what: string): Promise<Response> {
    if (!statuses.includes(response.status)) {
      throw new Error(`${what} failed: HTTP ${response.status} ${await response.text()}`);
    }
    return response;
  }

  async blobExists(repository: string, digest: string): Promise<boolean> {
    const response = await this.request(repository, `${this.target.url}/v2/${repository}/blobs/${digest}`, { method: 'HEAD' });
    return response.status === 200;
  }

  async pushBlob(repository: string, blob: Content): Promise<void> {
    if (await this.blobExists(repository, blob.digest)) return;
    const start = await this.expect(
      await this.request(repository, `${this.target.url}/v2/${repository}/blobs/uploads/`, { method: 'POST' }),
      [202],
      `starting the upload of ${blob.digest}`,
    );
    await start.body?.cancel();
    const location = new URL(start.headers.get('location')!, this.target.url);
    location.searchParams.set('digest', blob.digest);
    const put = await this.expect(
      await this.request(repository, location.toString(), {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream' },
        body: new Uint8Array(blob.bytes),
      }),
      [201],
      `uploading ${blob.digest}`,
    );
    await put.body?.cancel();
  }

  /** Mounts a blob `from` another repository of the registry: one request, no bytes sent. */
  async mountBlob(repository: string, digest: string, from: string): Promise<void> {
    const url = new URL(`${this.target.url}/v2/${repository}/blobs/uploads/`);
    url.searchParams.set('mount', digest);
    url.searchParams.set('from', from);
    const response = await this.expect(await this.request(repository, url.toString(), { method: 'POST' }), [201], `mounting ${digest} into ${repository}`);
    await response.body?.cancel();
  }

  async pushManifest(repository: string, reference: string, manifest: Content): Promise<void> {
    const response = await this.expect(
      await this.request(repository, `${this.target.url}/v2/${repository}/manifests/${reference}`, {
        method: 'PUT',
        headers: { 'content-type': manifest.mediaType },
        body: new Uint8Array(manifest.bytes),
      }),
      [201],
      `pushing manifest ${reference} of ${repository}`,
    );
    const digest = response.headers.get('docker-content-digest');
    await response.body?.cancel();
    if (digest && digest !== manifest.digest) {
      throw new Error(`registry stored ${reference} as ${digest}, expected ${manifest.digest}`);
    }
  }
}
