// @vitest-environment jsdom
// The tags table as a person sees it: groups with their aliases, sorted and filtered rows,
// the platform table on expansion.
import { fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup } from '@testing-library/react';

afterEach(cleanup);
import { GroupTable } from '@/components/tags/group-table';
import type { Group, PlatformInfo, RepositoryEvent } from '@/lib/api/types';
import { applyEvents, buildRows, initialState } from '@/lib/swr/repository-state';
import { parseSort } from '@/lib/tag-order';

beforeAll(() => {
  // jsdom has no layout: give the virtualizer a screenful to fill and a ResizeObserver.
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
  Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => 800 });
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 800 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1024 });
  Object.defineProperty(HTMLElement.prototype, 'offsetWidth', { configurable: true, get: () => 1024 });
});

const d = (n: number) => `sha256:${String(n).padStart(64, '0')}`;
const p = (platform: string, n: number): PlatformInfo => {
  const [os, architecture, variant] = platform.split('/');
  return { platform, os: os!, architecture: architecture!, variant: variant ?? null, osVersion: null, digest: d(n), mediaType: 'm', size: 500, compressedSize: 2_000_000 + n, configDigest: d(n + 500), lastPushed: null, lastPulled: null };
};
const g = (n: number, tags: string[], platforms: PlatformInfo[], extra: Partial<Group> = {}): Group => ({
  digest: d(n), mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json', kind: 'index', size: 900, tags, platforms, attestations: [], signatures: [], artifactType: null, lastPushed: null, ...extra,
});
const events: RepositoryEvent[] = [
  { type: 'tags', repository: 'docker.io/library/demo', tags: ['3.12', '3.12.9', '3.9', 'edge', 'waiting'], truncated: false },
  { type: 'group', group: g(1, ['3.12', '3.12.9'], [p('linux/amd64', 11), p('linux/arm/v7', 12)], { attestations: [{ digest: d(13), for: d(11), type: 'attestation-manifest' }] }) },
  { type: 'group', group: g(2, ['3.9'], [p('linux/amd64', 21)]) },
  { type: 'group', group: g(3, ['edge'], [p('linux/amd64', 11), p('linux/s390x', 31)]) },
];
const state = applyEvents(initialState('docker.io/library/demo'), events);

function renderRows(filter = '', sort = 'version', platform = '') {
  const { rows } = buildRows(state, { filter, sort: parseSort(sort)!, platform });
  return render(<GroupTable repository="docker.io/library/demo" rows={rows} />);
}

function bodies(container: HTMLElement) {
  return [...container.querySelectorAll('tbody[data-row-kind]')].map((b) => [...b.querySelectorAll('a')].map((a) => a.textContent).filter((t) => !t?.startsWith('sha256')).join(',') || b.textContent);
}

describe('GroupTable', () => {
  it('shows aliases together, one row per index digest, newest version first', () => {
    const { container } = renderRows();
    // Names that are not versions come after every version, newest first: waiting, then edge.
    expect(bodies(container)).toEqual(['3.12,3.12.9', '3.9', expect.stringContaining('waiting'), 'edge']);
    const row = container.querySelector(`tbody[data-digest="${d(1)}"]`) as HTMLElement;
    expect(within(row).getByText('Docker manifest list')).toBeInTheDocument();
    expect(within(row).getByText('provenance / SBOM')).toBeInTheDocument();
    expect(within(row).queryByText('unknown/unknown')).toBeNull();
    expect(within(row).getByText('shares 1 of 2 platform images with edge')).toBeInTheDocument();
  });

  it('sorts by name', () => {
    const { container } = renderRows('', 'name');
    expect(bodies(container).slice(0, 3)).toEqual(['3.12,3.12.9', '3.9', 'edge']);
  });

  it('filters by tag and by platform', () => {
    expect(bodies(renderRows('3.12').container)).toEqual(['3.12,3.12.9']);
    cleanup();
    // The tag filter keeps both 3.x groups; a platform keeps those of them that have it.
    expect(bodies(renderRows('3.').container)).toEqual(['3.12,3.12.9', '3.9']);
    cleanup();
    expect(bodies(renderRows('3.', 'version', 'linux/arm/v7').container)).toEqual(['3.12,3.12.9']);
    cleanup();
    expect(bodies(renderRows('3.', 'version', 'linux/amd64').container)).toEqual(['3.12,3.12.9', '3.9']);
    cleanup();
    // Both must hold: edge has linux/s390x but not the tag, the 3.x groups the tag but not s390x.
    expect(bodies(renderRows('3.', 'version', 'linux/s390x').container)).toEqual([]);
    cleanup();
    expect(bodies(renderRows('edge', 'version', 'linux/s390x').container)).toEqual(['edge']);
  });

  it('filters by platform', () => {
    expect(bodies(renderRows('', 'version', 'linux/s390x').container)).toEqual(['edge']);
  });

  it('expands a group into its platform table with platform digests and image IDs', () => {
    const { container } = renderRows();
    const button = screen.getByRole('button', { name: 'Show the platforms of 3.12, 3.12.9' });
    expect(button).toHaveAttribute('aria-expanded', 'false');
    fireEvent.click(button);
    expect(screen.getByRole('button', { name: 'Hide the platforms of 3.12, 3.12.9' })).toHaveAttribute('aria-expanded', 'true');
    const platformRow = container.querySelector('tr[data-platform="linux/arm/v7"]') as HTMLElement;
    const codes = [...platformRow.querySelectorAll('code')].map((c) => c.getAttribute('title'));
    expect(codes).toEqual([d(12), d(512)]);
  });

  it('renders only a window of rows for 5,000 tags (virtualized)', () => {
    const many: RepositoryEvent[] = [
      { type: 'tags', repository: 'docker.io/library/demo', tags: Array.from({ length: 5000 }, (_, i) => `1.${i}.0`), truncated: false },
      ...Array.from({ length: 2500 }, (_, i): RepositoryEvent => ({ type: 'group', group: g(1000 + i, [`1.${2 * i}.0`, `1.${2 * i + 1}.0`], [p('linux/amd64', 10_000 + i)]) })),
    ];
    const big = applyEvents(initialState('docker.io/library/demo'), many);
    const { rows } = buildRows(big, { filter: '', sort: parseSort(null)!, platform: '' });
    expect(rows).toHaveLength(2500);
    const { container } = render(<GroupTable repository="docker.io/library/demo" rows={rows} />);
    const rendered = container.querySelectorAll('tbody[data-row-kind]').length;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
  });
});
