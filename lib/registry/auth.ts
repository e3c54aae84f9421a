// Registry authentication, invisible to the operations above it: learns each registry's
// challenge from a 401, then sends the right Authorization up front — a Bearer token from the
// realm (anonymous, or with the registry's own credentials), or Basic directly. A challenge is
// held for a bounded time and dropped when its realm fails, so one bad 401 never outlives the
// next one. Sources: distribution docs/spec/auth/token.md; docs/registry-protocol.md §2, §10.2.

import { isIP } from 'node:net';
import { getDomain } from 'tldts';
import { LIMITS } from './limits';
import { basicAuthorization, credentialIdentity, type Credential, type CredentialStore } from './credentials';
import { parseChallenges, pickChallenge, type Challenge } from './challenge';
import { isRegistryError, RegistryError } from './errors';
import { DOCKER_HUB } from './reference';
import { tokenResponseSchema } from './schemas';
import { SharedWork } from './shared-work';

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
/** Registries whose challenge is remembered; the oldest is forgotten first. */
const CHALLENGE_CACHE_SIZE = 1_000;
/** A learned challenge is used this long, then learned again from a fresh 401. */
export const CHALLENGE_LIFETIME_MS = 10 * 60_000;
/** The token scope of a registry's repository list (/v2/_catalog). */
export const CATALOG_SCOPE = 'registry:catalog:*';

/**
 * A Bearer token must fit in a header value as one credential: visible ASCII, no white space
 * (RFC 9110 §5.5 field-vchar; RFC 6750 §2.1's b64token is narrower, and tokens outside it
 * that a header can carry still work with docker). CR, LF or a space would split the header.
 */
const BEARER_TOKEN = /^[\x21-\x7e]+$/;

/**
 * Registry services that give each customer a host of its own under a suffix the public-suffix
 * list does not carry (checked against tldts 7.6): under these, each host is its own owner.
 * PSL syntax; `*` is one label.
 */
const SEPARATE_HOST_SUFFIXES = [
  'azurecr.io', // Azure Container Registry: <registry>.azurecr.io
  'azurecr.cn',
  'azurecr.us',
  'dkr.ecr.*.amazonaws.com', // ECR: <account>.dkr.ecr.<region>.amazonaws.com
  'dkr.ecr.*.amazonaws.com.cn',
  'dkr-ecr.*.on.aws', // ECR dual-stack
  'jfrog.io', // JFrog Cloud: <tenant>.jfrog.io
  'pkg.dev', // Artifact Registry: <location>-docker.pkg.dev, its realm on the same host
].map((rule) => rule.split('.').reverse());

/**
 * The owner of a host name: its registrable domain (eTLD+1 by the public-suffix list, private
 * section included), or its customer's host under a SEPARATE_HOST_SUFFIXES entry; none for
 * an IP address.
 */
function ownerDomain(hostname: string): string | null {
  if (isIP(hostname.replace(/^\[|\]$/g, '')) !== 0) return null;
  const labels = hostname.split('.').reverse();
  for (const rule of SEPARATE_HOST_SUFFIXES) {
    if (labels.length > rule.length && rule.every((label, i) => label === '*' || label === labels[i])) {
      return labels.slice(0, rule.length + 1).reverse().join('.');
    }
  }
  return getDomain(hostname, { allowPrivateDomains: true });
}

/**
 * May this realm receive the credentials of the registry reached at `registryHost`? Its own
 * host and port; or, on the https default port, a host of the same owner — auth.docker.io for
 * registry-1.docker.io, gitlab.com for registry.gitlab.com — where the owner is the
 * registrable domain by the public-suffix list, so one tenant of a shared suffix (a.azurecr.io,
 * x.herokuapp.com) never receives another's. Never an unrelated host a challenge names (§2.8).
 */
export function realmMayReceiveCredentials(realm: URL, registryHost: string): boolean {
  if (realm.protocol !== 'https:' && realm.protocol !== 'http:') return false;
  // In the realm's scheme, so a default port compares equal however it is spelled.
  const registry = new URL(`${realm.protocol}//${registryHost}`);
  if (realm.host === registry.host) return true;
  if (realm.protocol !== 'https:' || realm.port !== '') return false;
  const owner = ownerDomain(realm.hostname);
  return owner !== null && owner === ownerDomain(registry.hostname);
}

interface LearnedChallenge {
  challenge: Challenge;
  learnedAt: number;
}

export class Authenticator {
  /** The challenge each registry answered with, so later requests authenticate up front. */
  private readonly challenges = new Map<string, LearnedChallenge>();
  private readonly tokens = new Map<string, CachedToken>();
  /** Token fetches in flight, shared by every request waiting for one until the last leaves. */
  private readonly pending = new SharedWork();

  constructor(
    private readonly credentials: CredentialStore,
    /** The host a registry name is reached at (docker.io → registry-1.docker.io). */
    private readonly apiHost: (registry: string) => string,
    private readonly fetchToken: TokenFetcher,
    private readonly now: () => number = Date.now,
    /** Is this URL's host a TAGSCOPE_INSECURE_REGISTRIES entry (the operator's own network)? */
    private readonly listedInsecure: (url: URL) => boolean = () => false,
  ) {}

  credentialFor(registry: string): Credential | null {
    return this.credentials.get(registry);
  }

  /**
   * The Authorization header to send, or null while no challenge is known. `repository` is
   * what the token must allow: pulling that path, or with null the registry's catalog.
   */
  async authorization(registry: string, repository: string | null, signal?: AbortSignal): Promise<string | null> {
    const challenge = this.challenge(registry);
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
  onUnauthorized(registry: string, repository: string | null, header: string | null, requestUrl: URL, sentAuthorization: boolean): boolean {
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
      const learned: Challenge = { scheme: 'bearer', params: { ...challenge.params, realm: realm.toString() } };
      this.learn(registry, learned);
      // A token we sent was refused (revoked or too narrow): fetch a fresh one once.
      if (sentAuthorization) this.tokens.delete(this.tokenKey(registry, repository, learned));
      return true;
    }
    this.learn(registry, challenge);
    return !sentAuthorization && this.credentials.get(registry) !== null;
  }

  /** The registry's challenge while it is fresh; an old one is dropped and learned again. */
  private challenge(registry: string): Challenge | null {
    const learned = this.challenges.get(registry);
    if (!learned) return null;
    if (this.now() - learned.learnedAt < CHALLENGE_LIFETIME_MS) return learned.challenge;
    this.challenges.delete(registry);
    return null;
  }

  private learn(registry: string, challenge: Challenge): void {
    this.challenges.delete(registry); // re-inserted last: eviction drops the stalest
    if (this.challenges.size >= CHALLENGE_CACHE_SIZE) this.challenges.delete(this.challenges.keys().next().value!);
    this.challenges.set(registry, { challenge, learnedAt: this.now() });
  }

  /** Drops the challenge a failed token request used, unless a newer one replaced it. */
  private forget(registry: string, challenge: Challenge): void {
    if (this.challenges.get(registry)?.challenge === challenge) this.challenges.delete(registry);
  }

  private scope(repository: string | null): string {
    // Always our own scope: many registries challenge /v2/ without one (§2.2). The catalog's
    // is `registry:catalog:*` (§2.3; go-containerregistry pkg/name/registry.go Scope()).
    return repository === null ? CATALOG_SCOPE : `repository:${repository}:pull`;
  }

  private tokenKey(registry: string, repository: string | null, challenge: Challenge): string {
    const realm = challenge.params.realm ?? '';
    const credential = this.usableCredential(registry, realm);
    return [realm, challenge.params.service ?? '', this.scope(repository), credentialIdentity(credential)].join('\n');
  }

  private usableCredential(registry: string, realm: string): Credential | null {
    const credential = this.credentials.get(registry);
    if (!credential || !realm) return null;
    const realmUrl = new URL(realm);
    const registryHost = this.apiHost(registry);
    if (realmMayReceiveCredentials(realmUrl, registryHost)) return credential;
    // A token server beside its registry on another port of the same host, both listed by the
    // operator as insecure (their own machine), is the operator's to vouch for.
    const registryUrl = new URL(`http://${registryHost}`);
    const besideIt = realmUrl.hostname === registryUrl.hostname && this.listedInsecure(realmUrl) && this.listedInsecure(registryUrl);
    return besideIt ? credential : null;
  }

  private async token(registry: string, repository: string | null, challenge: Challenge, signal?: AbortSignal): Promise<string> {
    const key = this.tokenKey(registry, repository, challenge);
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > this.now()) return cached.token;
    return this.pending.run(
      key,
      (shared) =>
        this.requestToken(registry, repository, challenge, shared).then(
          (fresh) => {
            if (this.tokens.size >= TOKEN_CACHE_SIZE) this.tokens.delete(this.tokens.keys().next().value!);
            this.tokens.set(key, fresh);
            return fresh.token;
          },
          (error: unknown) => {
            // A realm that cannot serve tokens (refused by the address policy, unreachable, slow,
            // broken, 5xx) is forgotten: the next request goes out bare and learns the realm its
            // 401 names then. A token server that refused the credentials or the scope answered;
            // its realm stays. Nor is a fetch everybody stopped waiting for the realm's fault.
            if (!shared.aborted && !isRegistryError(error, 'DENIED') && !isRegistryError(error, 'UNAUTHORIZED')) this.forget(registry, challenge);
            throw error;
          },
        ),
      signal,
    );
  }

  private async requestToken(registry: string, repository: string | null, challenge: Challenge, signal?: AbortSignal): Promise<CachedToken> {
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
    const value = (token ?? access_token)!;
    if (!BEARER_TOKEN.test(value)) {
      throw new RegistryError('UPSTREAM', `the token server of ${registry} sent a token that cannot be used in an Authorization header`);
    }
    // token.md: expires_in defaults to 60 and should never be less; issued_at may be missing
    // or skewed (regclient resets it to now when absent, in the future or already expired).
    const lifetimeMs = Math.max(expires_in ?? LIMITS.tokenMinLifetimeSeconds, LIMITS.tokenMinLifetimeSeconds) * 1000;
    const issued = issued_at ? Date.parse(issued_at) : NaN;
    const issuedAt = Number.isFinite(issued) && issued <= this.now() && issued + lifetimeMs > this.now() ? issued : started;
    const renewBefore = Math.min(LIMITS.tokenRenewBeforeMs, lifetimeMs / 2);
    return { token: value, expiresAt: issuedAt + lifetimeMs - renewBefore };
  }
}

/** `repository` null: the registry's catalog. */
export function unauthorizedMessage(registry: string, repository: string | null): string {
  if (repository === null) return `${registry} wants credentials to list its repositories that this server does not have`;
  return registry === DOCKER_HUB
    ? `${repository} was not found on Docker Hub, or it is private and this server has no credentials for it`
    : `${registry} wants credentials for ${repository} that this server does not have`;
}
