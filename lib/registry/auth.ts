// Registry authentication, invisible to the operations above it: learns each registry's
// challenge from its first 401, then sends the right Authorization up front — a Bearer token
// from the realm (anonymous, or with the registry's own credentials), or Basic directly.
// Sources: distribution docs/spec/auth/token.md; registry-protocol.md §2.

import { LIMITS } from './limits';
import { basicAuthorization, credentialIdentity, type Credential, type CredentialStore } from './credentials';
import { parseChallenges, pickChallenge, type Challenge } from './challenge';
import { RegistryError } from './errors';
import { DOCKER_HUB } from './reference';
import { tokenResponseSchema } from './schemas';

/** What the transport gives the authenticator to reach a token realm (policy included). */
export type TokenFetcher = (
  url: URL,
  headers: Record<string, string>,
  signal: AbortSignal | undefined,
) => Promise<{ status: number; body: Buffer }>;

interface CachedToken {
  token: string;
  expiresAt: number;
}

const TOKEN_CACHE_SIZE = 2_000;

/** `registry-1.docker.io` → `docker.io`: the domain whose subdomains may serve its tokens. */
function parentDomain(hostname: string): string {
  const labels = hostname.split('.');
  return labels.length > 2 ? labels.slice(1).join('.') : hostname;
}

/** Second-level labels under which unrelated parties register names (`example.co.uk`). */
const SHARED_SUFFIXES = new Set(['co.uk', 'org.uk', 'ac.uk', 'com.au', 'net.au', 'co.jp', 'co.nz', 'co.in', 'com.br', 'com.cn', 'co.za', 'com.tr']);

/**
 * May this realm receive the registry's credentials? Only its own host, or a host of the
 * same parent domain (auth.docker.io for registry-1.docker.io, gitlab.com for
 * registry.gitlab.com) — never an unrelated host a malicious challenge names (§2.8).
 */
export function realmMayReceiveCredentials(realm: URL, registryHost: string): boolean {
  const realmHost = realm.hostname.toLowerCase();
  const registryHostname = new URL(`http://${registryHost}`).hostname.toLowerCase();
  if (realmHost === registryHostname) return true;
  if (/^[\d.]+$/.test(registryHostname) || registryHostname.startsWith('[')) return false;
  const parent = parentDomain(registryHostname);
  if (!parent.includes('.') || SHARED_SUFFIXES.has(parent)) return false;
  return realmHost === parent || realmHost.endsWith(`.${parent}`);
}

export class Authenticator {
  /** The challenge each registry answered with, so later requests authenticate up front. */
  private readonly challenges = new Map<string, Challenge>();
  private readonly tokens = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<string>>();

  constructor(
    private readonly credentials: CredentialStore,
    /** The host a registry name is reached at (docker.io → registry-1.docker.io). */
    private readonly apiHost: (registry: string) => string,
    private readonly fetchToken: TokenFetcher,
    private readonly now: () => number = Date.now,
  ) {}

  credentialFor(registry: string): Credential | null {
    return this.credentials.get(registry);
  }

  /** The Authorization header to send, or null while no challenge is known. */
  async authorization(registry: string, repository: string, signal?: AbortSignal): Promise<string | null> {
    const challenge = this.challenges.get(registry);
    if (!challenge) return null;
    if (challenge.scheme === 'basic') {
      const credential = this.credentials.get(registry);
      return credential ? basicAuthorization(credential) : null;
    }
    return `Bearer ${await this.token(registry, repository, challenge, signal)}`;
  }

  /**
   * Learns from a 401. Returns true when a retry can succeed: a Bearer challenge (a token can
   * be fetched or renewed), or a Basic challenge we have credentials for and did not send.
   */
  onUnauthorized(registry: string, repository: string, header: string | null, requestUrl: URL, sentAuthorization: boolean): boolean {
    const challenge = pickChallenge(parseChallenges(header));
    if (!challenge) return false;
    if (challenge.scheme === 'bearer') {
      if (!challenge.params.realm) return false;
      let realm: URL;
      try {
        realm = new URL(challenge.params.realm, requestUrl); // realms may be relative (regclient)
      } catch {
        throw new RegistryError('UPSTREAM', `${registry} sent a token realm that is not a URL`);
      }
      this.challenges.set(registry, { scheme: 'bearer', params: { ...challenge.params, realm: realm.toString() } });
      // A token we sent was refused (revoked or too narrow): fetch a fresh one once.
      if (sentAuthorization) this.tokens.delete(this.tokenKey(registry, repository));
      return true;
    }
    this.challenges.set(registry, challenge);
    return !sentAuthorization && this.credentials.get(registry) !== null;
  }

  private scope(repository: string): string {
    // Always our own scope: many registries challenge /v2/ without one (§2.2).
    return `repository:${repository}:pull`;
  }

  private tokenKey(registry: string, repository: string): string {
    const challenge = this.challenges.get(registry);
    const realm = challenge?.params.realm ?? '';
    const credential = this.usableCredential(registry, realm);
    return [realm, challenge?.params.service ?? '', this.scope(repository), credentialIdentity(credential)].join('\n');
  }

  private usableCredential(registry: string, realm: string): Credential | null {
    const credential = this.credentials.get(registry);
    if (!credential || !realm) return null;
    return realmMayReceiveCredentials(new URL(realm), this.apiHost(registry)) ? credential : null;
  }

  private async token(registry: string, repository: string, challenge: Challenge, signal?: AbortSignal): Promise<string> {
    const key = this.tokenKey(registry, repository);
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > this.now()) return cached.token;
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const promise = this.requestToken(registry, repository, challenge, signal)
      .then((fresh) => {
        if (this.tokens.size >= TOKEN_CACHE_SIZE) this.tokens.delete(this.tokens.keys().next().value!);
        this.tokens.set(key, fresh);
        return fresh.token;
      })
      .finally(() => this.pending.delete(key));
    this.pending.set(key, promise);
    return promise;
  }

  private async requestToken(registry: string, repository: string, challenge: Challenge, signal?: AbortSignal): Promise<CachedToken> {
    const realm = new URL(challenge.params.realm!);
    const url = new URL(realm);
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    url.searchParams.append('scope', this.scope(repository));
    const credential = this.usableCredential(registry, realm.toString());
    const headers: Record<string, string> = credential ? { authorization: basicAuthorization(credential) } : {};
    const started = this.now();
    const response = await this.fetchToken(url, headers, signal);
    if (response.status === 401 || response.status === 403) {
      throw credential
        ? new RegistryError('DENIED', `the token server of ${registry} refused the credentials configured for it`, { status: response.status })
        : new RegistryError('UNAUTHORIZED', unauthorizedMessage(registry, repository), { status: response.status });
    }
    if (response.status !== 200) {
      throw new RegistryError('UPSTREAM', `the token server of ${registry} answered HTTP ${response.status}`, { status: response.status });
    }
    let json: unknown;
    try {
      json = JSON.parse(response.body.toString('utf8'));
    } catch {
      throw new RegistryError('UPSTREAM', `the token server of ${registry} did not answer with JSON`);
    }
    const parsed = tokenResponseSchema.safeParse(json);
    if (!parsed.success) {
      throw new RegistryError('UPSTREAM', `the token server of ${registry} sent an unusable answer: ${parsed.error.issues[0]?.message}`);
    }
    const { token, access_token, expires_in, issued_at } = parsed.data;
    // token.md: expires_in defaults to 60 and should never be less; issued_at may be missing
    // or skewed (regclient resets it to now when absent, in the future or already expired).
    const lifetimeMs = Math.max(expires_in ?? LIMITS.tokenMinLifetimeSeconds, LIMITS.tokenMinLifetimeSeconds) * 1000;
    const issued = issued_at ? Date.parse(issued_at) : NaN;
    const issuedAt = Number.isFinite(issued) && issued <= this.now() && issued + lifetimeMs > this.now() ? issued : started;
    const renewBefore = Math.min(LIMITS.tokenRenewBeforeMs, lifetimeMs / 2);
    return { token: (token ?? access_token)!, expiresAt: issuedAt + lifetimeMs - renewBefore };
  }
}

export function unauthorizedMessage(registry: string, repository: string): string {
  return registry === DOCKER_HUB
    ? `${repository} was not found on Docker Hub, or it is private and this server has no credentials for it`
    : `${registry} wants credentials for ${repository} that this server does not have`;
}
