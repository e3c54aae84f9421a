// A small Docker token server (distribution docs/spec/auth/token.md) for the token-auth test
// registry: GET /token?service=…&scope=…, optional Basic credentials, RS256 JWTs the registry
// verifies against our certificate (its `kid` is the libtrust key ID of the public key).
// Anonymous pull is granted on `public/*`; `private/*` needs a user; a wrong password is 401.
// The catalog (`registry:catalog:*`) is granted to users allowed it and to no one else: like
// distribution's token servers, a scope not granted is left out of the token, never a 401.

import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, createSign, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { requireBinary } from './registry-process';

export const TOKEN_SERVICE = 'tagscope-test-registry';
export const TOKEN_ISSUER = 'tagscope-test-issuer';

export interface User {
  password: string;
  /** Repository name prefixes this user may pull from; `push` too when `admin`. */
  pull: string[];
  admin?: boolean;
  /** May list the registry's repositories (`registry:catalog:*`). */
  catalog?: boolean;
}

export const USERS: Record<string, User> = {
  admin: { password: 'admin-secret', pull: [''], admin: true, catalog: true },
  alice: { password: 'alice-secret', pull: ['private/', 'public/'], catalog: true },
  /** Pulls public repositories only, and may not list the catalog. */
  carol: { password: 'carol-secret', pull: ['public/'] },
};

/** Quirks a test may switch on to exercise a client (token.md and docs/registry-protocol.md §2.4). */
export interface TokenServerOptions {
  /** Which field carries the token. */
  tokenField: 'token' | 'access_token' | 'both';
  /** Omitted from the answer when null (clients must then assume 60 s). */
  expiresIn: number | null;
  /** Shifts `issued_at`; null leaves it out. */
  issuedAtSkewSeconds: number | null;
}

export interface TokenRequestRecord {
  user: string | null;
  scopes: string[];
  status: number;
  /** Whether the request carried an Authorization header at all. */
  sentAuthorization: boolean;
}

export interface TokenServer {
  realm: string;
  certificatePath: string;
  options: TokenServerOptions;
  requests: TokenRequestRecord[];
  stop(): Promise<void>;
}

function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64url');
}

/** libtrust's key ID: base32(sha256(DER SPKI)[:30]) in 12 groups of 4, joined by ":". */
export function libtrustKeyId(spkiDer: Buffer): string {
  const bytes = createHash('sha256').update(spkiDer).digest().subarray(0, 30);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.match(/.{4}/g)!.join(':');
}

function grantedActions(user: string | null, type: string, name: string, requested: string[]): string[] {
  const account = user === null ? null : USERS[user];
  if (type === 'registry') return name === 'catalog' && account?.catalog === true ? requested.filter((action) => action === '*') : [];
  if (type !== 'repository') return [];
  return requested.filter((action) => {
    if (action === 'pull') {
      if (name.startsWith('public/') || name.startsWith('library/')) return true;
      return account !== null && account !== undefined && account.pull.some((prefix) => name.startsWith(prefix));
    }
    return account?.admin === true;
  });
}

export async function startTokenServer(dir: string): Promise<TokenServer> {
  requireBinary('openssl');
  const keyPath = path.join(dir, 'token-key.pem');
  const certificatePath = path.join(dir, 'token-cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=tagscope-test-token', '-days', '2', '-keyout', keyPath, '-out', certificatePath],
    { stdio: 'ignore' },
  );
  const privateKey = createPrivateKey(readFileSync(keyPath));
  const kid = libtrustKeyId(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }));

  const options: TokenServerOptions = { tokenField: 'token', expiresIn: 300, issuedAtSkewSeconds: 0 };
  const requests: TokenRequestRecord[] = [];

  function sign(user: string | null, access: { type: string; name: string; actions: string[] }[]): string {
    const now = Math.floor(Date.now() / 1000);
    const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid }));
    const claims = base64url(
      JSON.stringify({
        iss: TOKEN_ISSUER,
        sub: user ?? '',
        aud: TOKEN_SERVICE,
        exp: now + (options.expiresIn ?? 60) + 60,
        nbf: now - 60,
        iat: now,
        jti: randomUUID(),
        access,
      }),
    );
    const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(privateKey);
    return `${header}.${claims}.${base64url(signature)}`;
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://token.local');
    const send = (status: number, body: unknown, record: Omit<TokenRequestRecord, 'status'>) => {
      requests.push({ ...record, status });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const scopes = url.searchParams.getAll('scope');
    const authorization = req.headers.authorization;
    let user: string | null = null;
    if (url.pathname !== '/token') {
      send(404, { errors: [{ code: 'NOT_FOUND', message: 'no such endpoint' }] }, { user, scopes, sentAuthorization: !!authorization });
      return;
    }
    if (authorization) {
      const [scheme, encoded] = authorization.split(' ');
      const [name, ...rest] = Buffer.from(encoded ?? '', 'base64').toString().split(':');
      const account = name ? USERS[name] : undefined;
      if (scheme?.toLowerCase() !== 'basic' || !account || account.password !== rest.join(':')) {
        send(401, { errors: [{ code: 'UNAUTHORIZED', message: 'invalid username or password' }] }, { user: name ?? null, scopes, sentAuthorization: true });
        return;
      }
      user = name!;
    }
    const access = scopes.flatMap((scope) => {
      // repository:<name>:<actions>; the name may hold a host:port, so split from the ends.
      const first = scope.indexOf(':');
      const last = scope.lastIndexOf(':');
      if (first === -1 || last === first) return [];
      const type = scope.slice(0, first);
      const name = scope.slice(first + 1, last);
      const actions = grantedActions(user, type, name, scope.slice(last + 1).split(','));
      return actions.length > 0 ? [{ type, name, actions }] : [];
    });
    const token = sign(user, access);
    const body: Record<string, unknown> = {};
    if (options.tokenField !== 'access_token') body.token = token;
    if (options.tokenField !== 'token') body.access_token = token;
    if (options.expiresIn !== null) body.expires_in = options.expiresIn;
    if (options.issuedAtSkewSeconds !== null) {
      body.issued_at = new Date(Date.now() + options.issuedAtSkewSeconds * 1000).toISOString();
    }
    send(200, body, { user, scopes, sentAuthorization: !!authorization });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    certificatePath,
    options,
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
