// What a registry's refusal to list its repositories means, for a person: UNSUPPORTED where the
// registry does not list them (and what works there instead), UNAUTHORIZED where credentials
// would help, DENIED where the configured ones did not. Statuses as the transport reports them
// (lib/registry/transport.ts httpError) and as distribution 2.8 answers (observed).
import { describe, expect, it } from 'vitest';
import { dockerHubHasNoCatalog, explainCatalogFailure } from '@/lib/registry/catalog';
import { RegistryError, type RegistryErrorCode, type RegistryErrorDetails } from '@/lib/registry/errors';

const failure = (code: RegistryErrorCode, status?: number, registryErrors?: RegistryErrorDetails['registryErrors']) =>
  new RegistryError(code, 'as the transport said it', { ...(status === undefined ? {} : { status }), ...(registryErrors ? { registryErrors } : {}) });

const UNSUPPORTED_BODY = [{ code: 'UNSUPPORTED', message: 'The operation is unsupported.' }];
const AUTH_BODY = [{ code: 'UNAUTHORIZED', message: 'authentication required' }];

describe('explainCatalogFailure', () => {
  const cases: [string, RegistryError, string, boolean, RegistryErrorCode, string][] = [
    ['no catalog route: 404', failure('MANIFEST_UNKNOWN', 404), 'registry.example', false, 'UNSUPPORTED', 'registry.example does not list its repositories (/v2/_catalog answered HTTP 404). Type a repository name such as registry.example/<namespace>/<name> to open it.'],
    ['405', failure('UPSTREAM', 405), 'registry.example', true, 'UNSUPPORTED', 'answered HTTP 405'],
    ['501', failure('UPSTREAM', 501), 'registry.example', false, 'UNSUPPORTED', 'answered HTTP 501'],
    ['400 UNSUPPORTED', failure('UPSTREAM', 400, UNSUPPORTED_BODY), 'registry.example', false, 'UNSUPPORTED', 'answered HTTP 400'],
    ['a private registry, no credentials: 401', failure('UNAUTHORIZED', 401, AUTH_BODY), 'registry.example', false, 'UNAUTHORIZED', 'Add them to the credentials file (REGISTRY_AUTH_FILE'],
    ['a private registry, no credentials: 403', failure('DENIED', 403), 'registry.example', false, 'UNAUTHORIZED', 'auths."registry.example".auth is base64 of user:password'],
    ['the token server refused an anonymous token (no status from the registry)', failure('UNAUTHORIZED'), 'registry.example', false, 'UNAUTHORIZED', 'this server has no credentials for it'],
    ['credentials configured, 401 insufficient_scope', failure('DENIED', 401, AUTH_BODY), 'registry.example', true, 'DENIED', 'registry:catalog:*'],
    ['credentials configured, 403', failure('DENIED', 403), 'registry.example', true, 'DENIED', 'the password is wrong, or the account may not read the catalog'],
    ['ghcr.io, anonymous: 401', failure('UNAUTHORIZED', 401), 'ghcr.io', false, 'UNSUPPORTED', 'ghcr.io does not list its repositories (/v2/_catalog answered HTTP 401). Type a repository name such as ghcr.io/<owner>/<image> to open it.'],
    ['ghcr.io: 404', failure('MANIFEST_UNKNOWN', 404), 'ghcr.io', false, 'UNSUPPORTED', 'ghcr.io/<owner>/<image>'],
    ['quay.io, signed in: 403', failure('DENIED', 403), 'quay.io', true, 'UNSUPPORTED', 'quay.io/<namespace>/<name>'],
    ['gcr.io regional', failure('UNAUTHORIZED', 401), 'eu.gcr.io', false, 'UNSUPPORTED', 'does not list its repositories'],
    ['Artifact Registry', failure('DENIED', 403), 'europe-west1-docker.pkg.dev', false, 'UNSUPPORTED', '<location>-docker.pkg.dev/<project>/<repository>/<image>'],
    ['public.ecr.aws', failure('UNAUTHORIZED', 401), 'public.ecr.aws', false, 'UNSUPPORTED', 'public.ecr.aws/<alias>/<name>'],
  ];

  it.each(cases)('%s → %s', (_, error, registry, signedIn, code, words) => {
    const explained = explainCatalogFailure(error, registry, signedIn) as RegistryError;
    expect(explained).toBeInstanceOf(RegistryError);
    expect(explained.code).toBe(code);
    expect(explained.message).toContain(words);
    expect(explained.details.status).toBe(error.details.status);
    expect(explained.cause).toBe(error);
  });

  it.each([
    ['the registry\'s rate limit', failure('TOOMANYREQUESTS', 429)],
    ['a 5xx', failure('UPSTREAM', 503)],
    ['a Link to another host', failure('ADDRESS_NOT_ALLOWED')],
    ['a page that is not JSON', failure('UPSTREAM', 200)],
    ['no answer in time', failure('TIMEOUT')],
  ])('%s passes through unchanged', (_, error) => {
    expect(explainCatalogFailure(error, 'ghcr.io', false)).toBe(error);
  });

  it('anything that is not a RegistryError passes through', () => {
    const error = new TypeError('a bug');
    expect(explainCatalogFailure(error, 'registry.example', false)).toBe(error);
  });
});

describe('Docker Hub', () => {
  it('has no catalog: UNSUPPORTED, offering a repository name and search', () => {
    const error = dockerHubHasNoCatalog();
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toMatch(/^Docker Hub does not list its repositories \(it has no \/v2\/_catalog\)\. Type a repository name such as alpine or bitnami\/redis, or search Docker Hub/);
  });
});
