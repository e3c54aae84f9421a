// What a registry's refusal to list its repositories means, in words that say what works
// instead. `/v2/_catalog` is not in the OCI spec's endpoint table; distribution serves it
// behind the scope `registry:catalog:*`, and hosted registries leave it out or show it only
// to an account (docs/registry-protocol.md §3.3). So: Docker Hub is never asked (it has no
// catalog: regclient cmd/regctl/repo.go); a 404, 405, 501 or UNSUPPORTED, or any refusal from
// a hosted registry known to keep its catalog to itself, is UNSUPPORTED; any other 401/403
// is UNAUTHORIZED without credentials (a private registry: add them) and DENIED with them.
//
// Observed on distribution 2.8 with token auth: a catalog request without a token is 401
// with `scope="registry:catalog:*"`; a token the token server issued without that scope (it
// grants an empty `access` list rather than failing) is 401 again, its challenge adding
// `error="insufficient_scope"` — the same answer whether the token came anonymously or with
// credentials, so only whether credentials were configured tells the two cases apart. With
// htpasswd, 401 and a Basic challenge, with or without a wrong password.

import { isRegistryError, RegistryError } from './errors';

/**
 * Hosted registries whose catalog is absent, or limited to an account's own repositories: a
 * refusal there means "not offered", never "sign in to see them all". ghcr.io: "we don't
 * support the `_catalog` endpoint" (GitHub, microsoft/vscode-docker#1525); quay.io keeps it
 * behind a token and shows an account's repositories only (quay/mirror-registry#71).
 */
const WITHOUT_PUBLIC_CATALOG: { matches: (host: string) => boolean; example: string }[] = [
  { matches: (host) => host === 'ghcr.io', example: 'ghcr.io/<owner>/<image>' },
  { matches: (host) => host === 'quay.io', example: 'quay.io/<namespace>/<name>' },
  { matches: (host) => host === 'gcr.io' || host.endsWith('.gcr.io'), example: 'gcr.io/<project>/<image>' },
  { matches: (host) => host.endsWith('-docker.pkg.dev'), example: '<location>-docker.pkg.dev/<project>/<repository>/<image>' },
  { matches: (host) => host === 'public.ecr.aws', example: 'public.ecr.aws/<alias>/<name>' },
  { matches: (host) => host === 'registry.gitlab.com', example: 'registry.gitlab.com/<group>/<project>' },
  { matches: (host) => host === 'registry.k8s.io', example: 'registry.k8s.io/<name>' },
];

const REFUSED = new Set([401, 403]);
const NOT_OFFERED = new Set([404, 405, 501]);

function hosted(registry: string) {
  return WITHOUT_PUBLIC_CATALOG.find((entry) => entry.matches(registry)) ?? null;
}

function example(registry: string): string {
  return hosted(registry)?.example ?? `${registry}/<namespace>/<name>`;
}

/** Docker Hub has no catalog: said before anything is sent. */
export function dockerHubHasNoCatalog(): RegistryError {
  return new RegistryError(
    'UNSUPPORTED',
    'Docker Hub does not list its repositories (it has no /v2/_catalog). Type a repository name such as alpine or bitnami/redis, or search Docker Hub: by name, or for the repositories of one namespace (library holds the official images).',
    { reason: 'no catalog' },
  );
}

/**
 * The error a catalog listing failed with, as a person should read it: UNSUPPORTED where the
 * registry does not list its repositories, UNAUTHORIZED where credentials would help, DENIED
 * where the configured ones did not. Other failures pass through unchanged.
 */
export function explainCatalogFailure(error: unknown, registry: string, signedIn: boolean): unknown {
  if (!isRegistryError(error)) return error;
  const status = error.details.status;
  const refused = error.code === 'UNAUTHORIZED' || error.code === 'DENIED' || (status !== undefined && REFUSED.has(status));
  const notOffered =
    (status !== undefined && NOT_OFFERED.has(status)) || (error.details.registryErrors ?? []).some((e) => e.code === 'UNSUPPORTED');
  if (!refused && !notOffered) return error;
  const details = { ...error.details, reason: 'no catalog' };
  const answered = status !== undefined ? ` (/v2/_catalog answered HTTP ${status})` : '';
  const typeName = `Type a repository name such as ${example(registry)} to open it.`;
  if (notOffered || hosted(registry)) {
    return new RegistryError('UNSUPPORTED', `${registry} does not list its repositories${answered}. ${typeName}`, details, { cause: error });
  }
  if (signedIn) {
    return new RegistryError(
      'DENIED',
      `${registry} does not list its repositories to the account configured for it in the credentials file (REGISTRY_AUTH_FILE): the password is wrong, or the account may not read the catalog (scope registry:catalog:*, often kept for administrators). ${typeName}`,
      { ...error.details },
      { cause: error },
    );
  }
  return new RegistryError(
    'UNAUTHORIZED',
    `${registry} lists its repositories only to signed-in accounts, and this server has no credentials for it. Add them to the credentials file (REGISTRY_AUTH_FILE, Docker's config.json format: auths."${registry}".auth is base64 of user:password), or type a repository name such as ${example(registry)}.`,
    { ...error.details },
    { cause: error },
  );
}
