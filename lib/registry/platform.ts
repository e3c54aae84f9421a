// Platforms parsed, formatted and normalized as containerd does (containerd/platforms
// database.go, platforms.go; docs/registry-protocol.md §7). Display keeps what the index says;
// grouping and comparison use the normalized form.

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
  'os.version'?: string;
  'os.features'?: string[];
}

/** containerd's normalizeOS. */
/** A platform row as the API gives it (`os`, `architecture`, `variant`, `osVersion`), as a Platform. */
export function platformOfRow(row: { os: string; architecture: string; variant: string | null; osVersion?: string | null }): Platform {
  const platform: Platform = { os: row.os, architecture: row.architecture };
  if (row.variant) platform.variant = row.variant;
  if (row.osVersion) platform['os.version'] = row.osVersion;
  return platform;
}

export function normalizeOs(os: string): string {
  const lower = os.toLowerCase();
  return lower === 'macos' ? 'darwin' : lower;
}

/** containerd's normalizeArch: returns the architecture and variant it means. */
export function normalizeArch(architecture: string, variant = ''): { architecture: string; variant: string } {
  const arch = architecture.toLowerCase();
  const v = variant.toLowerCase();
  switch (arch) {
    case 'i386':
      return { architecture: '386', variant: '' };
    case 'x86_64':
    case 'x86-64':
    case 'amd64':
      return { architecture: 'amd64', variant: v === 'v1' ? '' : v };
    case 'aarch64':
    case 'arm64':
      if (v === '8' || v === 'v8' || v === 'v8.0') return { architecture: 'arm64', variant: '' };
      if (v === '9' || v === '9.0' || v === 'v9.0') return { architecture: 'arm64', variant: 'v9' };
      return { architecture: 'arm64', variant: v };
    case 'armhf':
      return { architecture: 'arm', variant: 'v7' };
    case 'armel':
      return { architecture: 'arm', variant: 'v6' };
    case 'arm':
      if (v === '' || v === '7') return { architecture: 'arm', variant: 'v7' };
      if (v === '5' || v === '6' || v === '8') return { architecture: 'arm', variant: `v${v}` };
      return { architecture: 'arm', variant: v };
    default:
      return { architecture: arch, variant: v };
  }
}

export function normalizePlatform(platform: Platform): Platform {
  const { architecture, variant } = normalizeArch(platform.architecture, platform.variant ?? '');
  return {
    os: normalizeOs(platform.os),
    architecture,
    ...(variant ? { variant } : {}),
    ...(platform['os.version'] ? { 'os.version': platform['os.version'] } : {}),
  };
}

/** `linux/arm64/v8` as the index says it; Windows adds `os.version` in parentheses. */
export function formatPlatform(platform: Platform): string {
  const os = platform['os.version'] ? `${platform.os}(${platform['os.version']})` : platform.os;
  return [os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

/**
 * The key two platforms are matched by: normalized, so `linux/arm64` = `linux/arm64/v8` and
 * `linux/arm` = `linux/arm/v7`; Windows images of one arch differ only by os.version.
 */
export function platformKey(platform: Platform): string {
  return formatPlatform(normalizePlatform(platform));
}

/** Parses `os/arch[/variant]` (containerd's Parse for full specifiers); null if it is not one. */
export function parsePlatform(text: string): Platform | null {
  const match = /^([a-z0-9_.-]+)(?:\(([^)]*)\))?\/([a-z0-9_.-]+)(?:\/([a-z0-9_.-]+))?$/i.exec(text.trim());
  if (!match) return null;
  const [, os, osVersion, architecture, variant] = match;
  return {
    os: os!,
    architecture: architecture!,
    ...(variant ? { variant } : {}),
    ...(osVersion ? { 'os.version': osVersion } : {}),
  };
}

/** BuildKit marks attestation and other reference manifests with unknown/unknown. */
export function isUnknownPlatform(platform: Platform | undefined): boolean {
  return platform?.os === 'unknown' && platform.architecture === 'unknown';
}
