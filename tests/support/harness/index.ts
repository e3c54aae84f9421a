// The real-registry test harness: three CNCF distribution registries on loopback — open,
// behind Docker token auth (with our token server), behind htpasswd Basic auth — seeded with
// real images, and the truth of what was pushed. Used by the integration tests' global setup,
// the end-to-end tests and `npm run demo`.

import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Pusher } from './pusher';
import { requireBinary, startRegistry, type RegistryProcess } from './registry-process';
import { seedComparePair, seedDemoRepository, seedNestedRepository, seedSmallRepository, writeTruth, type Truth } from './seed';
import { startTokenServer, TOKEN_ISSUER, TOKEN_SERVICE, USERS, type TokenServer } from './token-server';

export const BASIC_USER = { username: 'bob', password: 'bob-secret' };
export const TOKEN_USER = { username: 'alice', password: USERS.alice!.password };
export const TOKEN_ADMIN = { username: 'admin', password: USERS.admin!.password };

/** Everything a test needs to reach the harness; plain JSON so it crosses process boundaries. */
export interface HarnessInfo {
  dir: string;
  open: { host: string; url: string };
  token: { host: string; url: string; realm: string; service: string };
  basic: { host: string; url: string };
  users: { token: typeof TOKEN_USER; basic: typeof BASIC_USER };
  /** A Docker config.json with credentials for the token (alice) and Basic (bob) registries. */
  authFile: string;
  truth: {
    demo: Truth;
    tokenPublic: Truth;
    tokenPrivate: Truth;
    basic: Truth;
    /** An index nested inside an index (library/nested:outer). */
    nested: Truth;
    /** One image as a Docker list in the open registry (library/compare) … */
    compareDocker: Truth;
    /** … and as an OCI index in the token registry (public/compare), with a rebuild and a recompression. */
    compareOci: Truth;
  };
}

export interface Harness {
  info: HarnessInfo;
  tokenServer: TokenServer;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  /** Only the open registry with the demo repository (for `npm run demo`). */
  openOnly?: boolean;
}

function basicAuth(user: { username: string; password: string }): string {
  return Buffer.from(`${user.username}:${user.password}`).toString('base64');
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tagscope-harness-'));
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const open = await startRegistry({ kind: 'none' }, 'open');
    stops.push(open.stop);
    const demo = await seedDemoRepository(new Pusher({ url: open.url }), open.host);
    await writeTruth(path.join(dir, 'truth'), demo);

    let tokenServer: TokenServer | undefined;
    let token: RegistryProcess | undefined;
    let basic: RegistryProcess | undefined;
    const truth = { demo, nested: await seedNestedRepository(new Pusher({ url: open.url }), open.host) } as HarnessInfo['truth'];
    if (!options.openOnly) {
      tokenServer = await startTokenServer(dir);
      stops.push(tokenServer.stop);
      token = await startRegistry(
        { kind: 'token', realm: tokenServer.realm, service: TOKEN_SERVICE, issuer: TOKEN_ISSUER, certificatePath: tokenServer.certificatePath },
        'token',
      );
      stops.push(token.stop);
      const tokenPusher = new Pusher({ url: token.url, credentials: TOKEN_ADMIN });
      truth.tokenPublic = await seedSmallRepository(tokenPusher, token.host, 'public/demo');
      truth.tokenPrivate = await seedSmallRepository(tokenPusher, token.host, 'private/demo');
      const pair = await seedComparePair({ pusher: new Pusher({ url: open.url }), host: open.host }, { pusher: tokenPusher, host: token.host }, { docker: 'library/compare', oci: 'public/compare' });
      truth.compareDocker = pair.docker;
      truth.compareOci = pair.oci;

      requireBinary('htpasswd');
      const htpasswdPath = path.join(dir, 'htpasswd');
      await writeFile(htpasswdPath, execFileSync('htpasswd', ['-Bbn', BASIC_USER.username, BASIC_USER.password]));
      basic = await startRegistry({ kind: 'htpasswd', realm: 'Tagscope test registry', htpasswdPath }, 'basic');
      stops.push(basic.stop);
      truth.basic = await seedSmallRepository(new Pusher({ url: basic.url, credentials: BASIC_USER }), basic.host, 'team/app');
      for (const t of [truth.tokenPublic, truth.tokenPrivate, truth.basic, truth.compareDocker, truth.compareOci]) await writeTruth(path.join(dir, 'truth'), t);
    }

    const authFile = path.join(dir, 'auth.json');
    const auths: Record<string, { auth: string }> = {};
    if (token) auths[token.host] = { auth: basicAuth(TOKEN_USER) };
    if (basic) auths[basic.host] = { auth: basicAuth(BASIC_USER) };
    await writeFile(authFile, JSON.stringify({ auths }, null, 2));

    const missing = { host: '', url: '' };
    const info: HarnessInfo = {
      dir,
      open: { host: open.host, url: open.url },
      token: token && tokenServer ? { host: token.host, url: token.url, realm: tokenServer.realm, service: TOKEN_SERVICE } : { ...missing, realm: '', service: '' },
      basic: basic ? { host: basic.host, url: basic.url } : missing,
      users: { token: TOKEN_USER, basic: BASIC_USER },
      authFile,
      truth,
    };
    return { info, tokenServer: tokenServer!, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The value for TAGSCOPE_INSECURE_REGISTRIES that lets the product reach every harness host. */
export function insecureRegistries(info: HarnessInfo, extra: string[] = []): string {
  return [info.open.host, info.token.host, info.basic.host, new URL(info.token.realm || 'http://x').host, ...extra]
    .filter((host) => host && host !== 'x')
    .join(',');
}
