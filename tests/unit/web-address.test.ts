// resolveWebAddress: every form of address people copy, and the one Tagscope page each means.
// The page shapes are the ones the sites publish (sources in lib/common/web-address.ts); each row says
// what the address meant and where it lands.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveWebAddress, WEB_ADDRESS_MAX_LENGTH } from '@/lib/common/web-address';

const HEX = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const D = `sha256:${HEX}`;

function hrefOf(input: string): string {
  const result = resolveWebAddress(input);
  if ('error' in result) throw new Error(`expected an href for ${input}, got: ${result.error}`);
  return result.href;
}

function errorOf(input: string): string {
  const result = resolveWebAddress(input);
  if ('href' in result) throw new Error(`expected an error for ${input}, got: ${result.href}`);
  return result.error;
}

describe('resolveWebAddress opens the page an address means', () => {
  const forms: [string, string, string][] = [
    // Docker Hub
    ['an official image', 'https://hub.docker.com/_/alpine', '/r/docker.io/library/alpine'],
    ['an official image, tags tab', 'https://hub.docker.com/_/alpine/tags', '/r/docker.io/library/alpine'],
    ['a tag filter becomes q', 'https://hub.docker.com/_/alpine/tags?name=3.12', '/r/docker.io/library/alpine?q=3.12'],
    ['any other repository', 'https://hub.docker.com/r/bitnami/redis', '/r/docker.io/bitnami/redis'],
    ['its tags, filtered', 'https://hub.docker.com/r/bitnami/redis/tags?name=7.2', '/r/docker.io/bitnami/redis?q=7.2'],
    ['the tag page as Docker Hub links it (newest first = sort by push date)', 'https://hub.docker.com/r/bitnami/redis/tags?page=1&ordering=last_updated&name=7.2', '/r/docker.io/bitnami/redis?q=7.2&sort=pushed'],
    ['oldest first', 'https://hub.docker.com/r/bitnami/redis/tags?ordering=-last_updated', '/r/docker.io/bitnami/redis?sort=-pushed'],
    ['the owner\'s view of a repository', 'https://hub.docker.com/repository/docker/hansehe/helm/general', '/r/docker.io/hansehe/helm'],
    ['a platform image of an official tag: its digest page', `https://hub.docker.com/layers/library/alpine/3.12/images/sha256-${HEX}`, `/r/docker.io/library/alpine@${D}`],
    ['a platform image of a tag', `https://hub.docker.com/layers/bitnami/redis/latest/images/sha256-${HEX}?context=explore`, `/r/docker.io/bitnami/redis@${D}`],
    ['an older layers link', `https://hub.docker.com/layers/rust/library/rust/1.49.0/images/sha256-${HEX}?context=explore`, `/r/docker.io/library/rust@${D}`],
    ['a layers link without an image: the tag', 'https://hub.docker.com/layers/library/postgres/16-alpine/', '/r/docker.io/library/postgres:16-alpine'],
    ['a user\'s namespace', 'https://hub.docker.com/u/bitnami', '/r/docker.io?namespace=bitnami'],
    ['a namespace under /r/', 'https://hub.docker.com/r/bitnami', '/r/docker.io?namespace=bitnami'],
    ['a search', 'https://hub.docker.com/search?q=redis', '/r/docker.io?q=redis'],
    ['an empty search', 'https://hub.docker.com/search?q=&type=image', '/r/docker.io'],
    ['Docker Hub\'s front page', 'https://hub.docker.com/', '/r/docker.io'],
    ['without a scheme', 'hub.docker.com/_/alpine/tags?name=3.12', '/r/docker.io/library/alpine?q=3.12'],
    ['the old registry.hub.docker.com pages', 'https://registry.hub.docker.com/_/mysql/', '/r/docker.io/library/mysql'],
    ['http and capitals in the host', 'HTTP://HUB.DOCKER.COM/_/alpine', '/r/docker.io/library/alpine'],
    ['a path segment that lost a slash', 'https:/hub.docker.com/_/alpine?name=3', '/r/docker.io/library/alpine?q=3'],

    // GitHub Packages
    ['a repository\'s package', 'https://github.com/andydunstall/piko/pkgs/container/piko', '/r/ghcr.io/andydunstall/piko'],
    ['a package name with %2F', 'https://github.com/amrkmn/docker-terraria/pkgs/container/terraria%2Fvanilla', '/r/ghcr.io/amrkmn/terraria/vanilla'],
    ['a user\'s package', 'https://github.com/users/Wonderfall/packages/container/package/mastodon', '/r/ghcr.io/wonderfall/mastodon'],
    ['an organization\'s package with %2F', 'https://github.com/orgs/broadinstitute/packages/container/package/ml4h%2Fml4h_terra', '/r/ghcr.io/broadinstitute/ml4h/ml4h_terra'],
    ['an owner with capitals (ghcr.io names are lowercase)', 'https://github.com/KFERMercer/chaturbate-grabber/pkgs/container/ctbcap', '/r/ghcr.io/kfermercer/ctbcap'],
    ['one version, named by its tag', 'https://github.com/macstadium/orka-images/pkgs/container/orka-images%2Fsonoma/543062841?tag=latest', '/r/ghcr.io/macstadium/orka-images/sonoma:latest'],
    ['one version of an organization\'s package', 'https://github.com/orgs/agicommies/packages/container/subspace/164109015?tag=latest', '/r/ghcr.io/agicommies/subspace:latest'],
    ['one version without a tag: the package', 'https://github.com/openwrt/docker/pkgs/container/rootfs/278326848', '/r/ghcr.io/openwrt/rootfs'],
    ['the list of versions', 'https://github.com/badges/shields/pkgs/container/shields/versions?filters%5Bversion_type%5D=tagged', '/r/ghcr.io/badges/shields'],
    ['without a scheme', 'github.com/andydunstall/piko/pkgs/container/piko', '/r/ghcr.io/andydunstall/piko'],

    // Quay
    ['a repository', 'https://quay.io/repository/prometheus/prometheus', '/r/quay.io/prometheus/prometheus'],
    ['its tags tab', 'https://quay.io/repository/prometheus/prometheus?tab=tags', '/r/quay.io/prometheus/prometheus'],
    ['a selected tag: the list filtered to it', 'https://quay.io/repository/biocontainers/samtools?tag=latest&tab=tags', '/r/quay.io/biocontainers/samtools?q=latest'],
    ['several selected tags: exactly those', 'https://quay.io/repository/x/y?tab=tags&tag=v1.0,v1.1', `/r/quay.io/x/y?q=${encodeURIComponent('/^(?:v1\\.0|v1\\.1)$/').replace(/%2F/g, '/').replace(/%3A/g, ':')}`],
    ['a manifest', `https://quay.io/repository/x/y/manifest/${D}`, `/r/quay.io/x/y@${D}`],
    ['a tag page of the new UI', 'https://quay.io/repository/x/y/tag/v2', '/r/quay.io/x/y:v2'],
    ['without a scheme', 'quay.io/repository/biocontainers/samtools', '/r/quay.io/biocontainers/samtools'],

    // ECR Public Gallery
    ['a repository', 'https://gallery.ecr.aws/nginx/nginx', '/r/public.ecr.aws/nginx/nginx'],
    ['a repository with a longer name', 'https://gallery.ecr.aws/docker/library/node', '/r/public.ecr.aws/docker/library/node'],

    // Google Cloud console
    ['an Artifact Registry image', 'https://console.cloud.google.com/artifacts/docker/telcoin-network/us/tn-public/adiri', '/r/us-docker.pkg.dev/telcoin-network/tn-public/adiri'],
    ['an image name with %2F', 'https://console.cloud.google.com/artifacts/docker/build-286712/us/public-docker-us/sdktesters-v2%2Fsdk-tester?pli=1', '/r/us-docker.pkg.dev/build-286712/public-docker-us/sdktesters-v2/sdk-tester'],
    ['an image\'s tab', 'https://console.cloud.google.com/artifacts/docker/river-level-0/us-west1/rivers-frontend/rivers-lit;tab=tags?project=river-level-0', '/r/us-west1-docker.pkg.dev/river-level-0/rivers-frontend/rivers-lit'],
    ['an image digest with its tab', `https://console.cloud.google.com/artifacts/docker/traffic-os/northamerica-northeast1/traffic-generation/traffic-generation/${D};tab=vulnerabilities?project=traffic-os`, `/r/northamerica-northeast1-docker.pkg.dev/traffic-os/traffic-generation/traffic-generation@${D}`],
    ['a domain-scoped project', 'https://console.cloud.google.com/artifacts/docker/example.com:my-project/europe-west1/repo/app', '/r/europe-west1-docker.pkg.dev/example.com/my-project/repo/app'],
    ['a Container Registry image', 'https://console.cloud.google.com/gcr/images/google-containers/GLOBAL/kube-proxy', '/r/gcr.io/google-containers/kube-proxy'],
    ['in the EU', 'https://console.cloud.google.com/gcr/images/open-targets/EU/mrtarget?project=open-targets', '/r/eu.gcr.io/open-targets/mrtarget'],
    ['a tag filter', 'https://console.cloud.google.com/gcr/images/google-samples/global/hello-app?tag=1.0', '/r/gcr.io/google-samples/hello-app?q=1.0'],
    ['a digest\'s details', `https://console.cloud.google.com/gcr/images/tekton-releases/GLOBAL/github.com/tektoncd/pipeline/cmd/controller@${D}/details?tab=info`, `/r/gcr.io/tekton-releases/github.com/tektoncd/pipeline/cmd/controller@${D}`],
    ['a digest of a name with %2F', `https://console.cloud.google.com/gcr/images/cloud-marketplace/global/google%2Frabbitmq3@${D}/details?tab=vulnz`, `/r/gcr.io/cloud-marketplace/google/rabbitmq3@${D}`],
    ['a tag\'s details', 'https://console.cloud.google.com/gcr/images/kubernetes-e2e-test-images/GLOBAL/dnsutils:1.3/details?tab=vulnz', '/r/gcr.io/kubernetes-e2e-test-images/dnsutils:1.3'],

    // Pull commands
    ['docker pull with a tag', 'docker pull alpine:3.12', '/r/docker.io/library/alpine:3.12'],
    ['the platform is kept', 'docker pull --platform linux/arm64 alpine', '/r/docker.io/library/alpine?platform=linux/arm64'],
    ['the platform as the toolbar matches it', 'docker pull --platform=linux/arm64/v8 nginx:1.27', '/r/docker.io/library/nginx:1.27?platform=linux/arm64'],
    ['docker image pull, quiet, by digest', `docker image pull -q ghcr.io/x/y@${D}`, `/r/ghcr.io/x/y@${D}`],
    ['podman pull', 'podman pull docker.io/library/alpine', '/r/docker.io/library/alpine'],
    ['podman\'s --arch and --variant', 'podman pull --arch arm64 --variant v8 quay.io/x/y:1', '/r/quay.io/x/y:1?platform=linux/arm64'],
    ['nerdctl pull', 'nerdctl pull --unpack=false registry.k8s.io/pause:3.9', '/r/registry.k8s.io/pause:3.9'],
    ['a prompt and sudo copied along', '$ sudo docker pull alpine', '/r/docker.io/library/alpine'],
    ['quotes and a line continuation', 'docker pull \\\n  --platform "linux/amd64" \'alpine:3.12\'', '/r/docker.io/library/alpine:3.12?platform=linux/amd64'],
    ['all tags: the repository', 'docker pull --all-tags alpine', '/r/docker.io/library/alpine'],

    // Tagscope's own links
    ['an absolute link, keeping its view state (pull= is an action, not state)', 'https://tagscope.example/r/alpine?q=3&pull=1', '/r/docker.io/library/alpine?q=3'],
    ['a relative link, state checked and normalized', '/r/docker.io/library/alpine?q=3.12&sort=-name&platform=linux/arm64/v8&x=1', '/r/docker.io/library/alpine?q=3.12&sort=-name&platform=linux/arm64'],
    ['the default sort is left out', '/r/docker.io/library/alpine?sort=version', '/r/docker.io/library/alpine'],
    ['a tag view keeps ?at=', '/r/alpine:3.12?at=2024-01-01T00:00:00Z&q=x', '/r/docker.io/library/alpine:3.12?at=2024-01-01T00:00:00Z'],
    ['a tag view keeps an ?at= that is no date, for its page to answer 400', '/r/alpine:3.12?at=yesterday', '/r/docker.io/library/alpine:3.12?at=yesterday'],
    ['an ?at= with an offset keeps its +', '/r/alpine:3.12?at=2024-01-01T00:00:00%2B02:00', '/r/docker.io/library/alpine:3.12?at=2024-01-01T00:00:00%2B02:00'],
    ['a repository view and a digest view leave ?at= out', '/r/alpine?at=2024-01-01', '/r/docker.io/library/alpine'],
    ['percent-encoded segments', '/r/localhost%3A5000/library/demo%3A3.12', '/r/localhost:5000/library/demo:3.12'],
    ['a registry page', 'http://localhost:3000/r/ghcr.io?q=org/', '/r/ghcr.io?q=org/'],
    ['Docker Hub\'s namespace page', '/r/docker.io?namespace=bitnami', '/r/docker.io?namespace=bitnami'],
    ['a web address inside a link', '/r/https://hub.docker.com/_/alpine/tags?name=3', '/r/docker.io/library/alpine?q=3'],
    ['a protocol-relative address', '//hub.docker.com/_/alpine', '/r/docker.io/library/alpine'],

    // Plain references and registry hosts
    ['a short name', 'alpine', '/r/docker.io/library/alpine'],
    ['a tag', 'ghcr.io/org/app:1.4', '/r/ghcr.io/org/app:1.4'],
    ['a digest', `quay.io/x/y@${D}`, `/r/quay.io/x/y@${D}`],
    ['a registry host: its page', 'ghcr.io', '/r/ghcr.io'],
    ['an address with a port', '127.0.0.1:5000', '/r/127.0.0.1:5000'],
    ['a host in one of its spellings', '127.1:5000/', '/r/127.0.0.1:5000'],
    ['localhost', 'localhost', '/r/localhost'],
    ['localhost with a port', 'localhost:5000', '/r/localhost:5000'],
    ['IPv6', '[::1]:5000', '/r/%5B::1%5D:5000'],
    ['Docker Hub itself', 'index.docker.io', '/r/docker.io'],
    ['a name with a tag is no host', 'alpine:3.12', '/r/docker.io/library/alpine:3.12'],
    ['docker.io/<name> is an official image, as docker pull reads it', 'docker.io/alpine', '/r/docker.io/library/alpine'],
    ['…whatever the name', 'docker.io/bitnami', '/r/docker.io/library/bitnami'],
    ['docker.io/library is the official images\' namespace', 'docker.io/library', '/r/docker.io?namespace=library'],
    ['a trailing "/" makes a namespace', 'docker.io/bitnami/', '/r/docker.io?namespace=bitnami'],
  ];
  it.each(forms)('%s: %s', (_, input, href) => {
    expect(hrefOf(input)).toBe(href);
  });

  it('answers its own hrefs with themselves', () => {
    for (const [, input] of forms) {
      const href = hrefOf(input);
      expect(hrefOf(href), href).toBe(href);
    }
  });
});

describe('resolveWebAddress says what is wrong, and what it reads', () => {
  const errors: [string, string, string][] = [
    ['nothing', '   ', 'There is nothing to open'],
    ['too long', `alpine${' '.repeat(WEB_ADDRESS_MAX_LENGTH)}`, 'Tagscope reads at most 2,000'],
    ['a bidirectional override', 'alp\u202eine', 'invisible formatting characters'],
    ['a control character', 'alpine\u0000', 'control'],
    ['javascript:', 'javascript:alert(1)', '"javascript:" addresses are not opened'],
    ['data:', 'data:text/html,<script>', '"data:" addresses are not opened'],
    ['another scheme', 'ftp://example.com/x', 'http(s) web addresses only'],
    ['an unknown site', 'https://example.com/alpine', 'example.com is not a site Tagscope reads. Tagscope opens an image reference'],
    ['reddit\'s /r/', 'https://www.reddit.com/r/docker', 'is a forum'],
    ['a registry\'s https address', 'https://ghcr.io/org/app', 'leave out "https://" to open a repository on it (ghcr.io/org/app)'],
    ['credentials in the address', 'https://user:secret@hub.docker.com/_/alpine', 'user name or password'],
    ['a Docker Hub page that names no repository', 'https://hub.docker.com/settings/general', 'not a repository, namespace, tag or search page'],
    ['an encoded "/" in a Docker Hub name', 'https://hub.docker.com/_/x%2Fy', 'encoded "/"'],
    ['a bad digest on a layers page', 'https://hub.docker.com/layers/library/alpine/3.12/images/sha256-abc', 'a sha256 digest has 64 hex characters'],
    ['a bad tag in a layers page', 'https://hub.docker.com/layers/library/alpine/-x', 'may only contain letters'],
    ['a bad namespace', 'https://hub.docker.com/u/Bad_', 'not a valid Docker Hub namespace'],
    ['invalid percent-encoding', 'https://hub.docker.com/_/%E0%A4%A', 'not validly percent-encoded'],
    ['a GitHub page that is no package', 'https://github.com/org/repo/issues/1', 'not a container package'],
    ['a bad GitHub version tag', 'https://github.com/o/r/pkgs/container/n/123?tag=-x', 'may only contain letters'],
    ['a Quay page that is no repository', 'https://quay.io/organization/coreos', 'not a repository page'],
    ['an ECR alias page', 'https://gallery.ecr.aws/opensearchproject/', 'lists the repositories of a registry alias'],
    ['an ECR search', 'https://gallery.ecr.aws/search?searchTerm=nginx', 'is a search'],
    ['an Artifact Registry repository', 'https://console.cloud.google.com/artifacts/docker/k8s-staging-images/us-central1/lws', 'which holds images'],
    ['a version that is no digest', 'https://console.cloud.google.com/artifacts/docker/p/us/r/i/latest', 'not a valid image reference'],
    ['a project\'s image list', 'https://console.cloud.google.com/gcr/images/distroless/GLOBAL', 'lists a project\'s images'],
    ['an unknown Container Registry location', 'https://console.cloud.google.com/gcr/images/p/MARS/i', 'not a Container Registry location'],
    ['another console page', 'https://console.cloud.google.com/run/detail/us-central1/x', 'not an Artifact Registry or Container Registry image page'],
    ['docker run', 'docker run --rm -it alpine sh', 'Only pull commands are read'],
    ['an option Tagscope does not know', 'docker pull --foo alpine', 'does not read: --foo'],
    ['two images', 'docker pull alpine nginx', 'names one image; this one names 2'],
    ['no image', 'docker pull --platform linux/arm64', 'names no image'],
    ['an option without its value', 'docker pull alpine --platform', 'has no value'],
    ['a platform that is none', 'docker pull --platform arm64 alpine', 'is not a platform'],
    ['all tags of a tag', 'docker pull -a alpine:3', 'without a tag or digest'],
    ['words that are no command', 'hello world', 'is neither a reference nor a pull command'],
    ['a relative path that is no Tagscope page', '/compare?a=alpine', 'those start with /r/'],
    ['a Tagscope link to nothing', 'https://tagscope.example/r/', 'names nothing after /r/'],
    ['links nested too deeply', '/r/https://t.example/r/https://t.example/r/https://hub.docker.com/_/alpine', 'too deeply'],
    ['an invalid reference, as the parser says', 'Alpine', 'repository name must be lowercase'],
    ['an invalid registry host', '999.1.1.1:5000', 'not a valid registry host'],
  ];
  it.each(errors)('%s', (_, input, message) => {
    expect(errorOf(input)).toContain(message);
  });

  it('never echoes a password', () => {
    expect(errorOf('https://user:hunter2@example.com/r/alpine')).not.toContain('hunter2');
  });
});

describe('resolveWebAddress on any input', () => {
  const pieces = fc.constantFrom(
    'https://', 'http://', '//', '/', '/r/', '?', '&', '=', '#', ';tab=x', '@', ':', '%2F', '%3A', '%00', '%', '..', ' ', '\\\n', '\u202e',
    'hub.docker.com', 'github.com', 'quay.io', 'gallery.ecr.aws', 'console.cloud.google.com', 'tagscope.example', 'reddit.com', 'ghcr.io', 'localhost:5000', '[::1]', 'docker.io',
    '_', 'r', 'u', 'layers', 'images', `sha256-${HEX}`, D, 'pkgs', 'container', 'packages', 'package', 'orgs', 'users', 'versions', '123',
    'repository', 'manifest', 'tag', 'artifacts', 'docker', 'gcr', 'global', 'us', 'details', 'search',
    'alpine', 'library', 'bitnami', 'redis', 'Org', '3.12', '-x', 'name', 'q', 'namespace', 'platform', 'sort', 'ordering', 'linux/arm64', 'last_updated',
    'pull', 'image', 'podman', '--platform', '-a', '-q', 'sudo', '$', '"', "'", 'javascript:', 'data:',
  );
  const addressLike = fc.array(pieces, { maxLength: 24 }).map((parts) => parts.join(''));
  const anything = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.webUrl({ withQueryParameters: true, withFragments: true }), addressLike);

  it('answers a Tagscope path or an error, and never throws', () => {
    const counts = { hrefs: 0, errors: 0 };
    fc.assert(
      fc.property(anything, (input) => {
        const result = resolveWebAddress(input);
        if ('href' in result) {
          counts.hrefs++;
          // Starts with /r/ and a segment; printable ASCII only: it cannot leave Tagscope.
          expect(result.href).toMatch(/^\/r\/[^/\\][\x21-\x7e]*$/);
          expect(Object.keys(result)).toEqual(['href', 'registry']);
          // A registry's page is one path segment (`/r/ghcr.io`); a reference's has more.
          expect(result.registry !== null).toBe(/^\/r\/[^/?]+(?:\?|$)/.test(result.href));
        } else {
          counts.errors++;
          expect(typeof result.error).toBe('string');
          expect(result.error.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 3000 },
    );
    expect(counts.hrefs, 'inputs opened').toBeGreaterThan(100);
    expect(counts.errors, 'inputs refused').toBeGreaterThan(100);
  });

  it('answers any href it gives with the same href', () => {
    fc.assert(
      fc.property(addressLike, (input) => {
        const result = resolveWebAddress(input);
        if ('href' in result) expect(resolveWebAddress(result.href)).toEqual(result);
      }),
      { numRuns: 2000 },
    );
  });

  it('answers input longer than the bound with an error, unread', () => {
    fc.assert(
      fc.property(fc.string({ minLength: WEB_ADDRESS_MAX_LENGTH + 1, maxLength: WEB_ADDRESS_MAX_LENGTH + 50 }), (input) => {
        expect(resolveWebAddress(input)).toEqual({ error: expect.stringContaining('at most 2,000') });
      }),
      { numRuns: 50 },
    );
  });
});
