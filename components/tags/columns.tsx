'use client';
// Column definitions of the tags table: one row per group of tags that point at the same
// index digest (or per tag still resolving), as Docker Hub's tag list, with the digests named.

import { createColumnHelper, rowExpandingFeature, tableFeatures } from '@tanstack/react-table';
import type { Row } from '@/lib/swr/repository-state';
import { describeGroupKind, formatCreated, shortDigest, sizeRange } from '@/lib/format';
import { referenceHref } from '@/lib/routes';
import { Badge } from '../ui/badge';
import { DigestText } from './digest-text';
import { VisibleText } from '../ui/visible-text';

export const features = tableFeatures({ rowExpandingFeature });
const helper = createColumnHelper<typeof features, Row>();

function TagLinks({ repository, tags }: { repository: string; tags: string[] }) {
  return (
    <span className="flex flex-wrap gap-x-2 gap-y-1">
      {tags.map((tag) => (
        <a key={tag} href={referenceHref(`${repository}:${tag}`)} className="whitespace-nowrap font-mono text-sm font-medium text-sky-700 underline-offset-2 hover:underline dark:text-sky-400">
          {tag}
        </a>
      ))}
    </span>
  );
}

export function columnsFor(repository: string, { pushDates = true }: { pushDates?: boolean } = {}) {
  const columns = helper.columns([
    helper.display({
      id: 'tags',
      header: 'Tags',
      cell: ({ row }) => {
        const r = row.original;
        if (r.kind !== 'group') return <span className="font-mono text-sm">{r.tag}</span>;
        const expanded = row.getIsExpanded();
        return (
          <span className="flex items-start gap-2">
            <button
              type="button"
              onClick={() => row.toggleExpanded()}
              aria-expanded={expanded}
              aria-controls={expanded ? `platforms-${r.group.digest.slice(7, 19)}` : undefined}
              aria-label={`${expanded ? 'Hide' : 'Show'} the platforms of ${r.group.tags.join(', ')}`}
              className="mt-0.5 inline-flex h-5 w-5 shrink-0 items-center justify-center rounded border border-slate-300 text-xs hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-600 dark:border-slate-600 dark:hover:bg-slate-800"
            >
              <span aria-hidden="true">{expanded ? '−' : '+'}</span>
            </button>
            <TagLinks repository={repository} tags={r.group.tags} />
          </span>
        );
      },
    }),
    helper.display({
      id: 'digest',
      header: 'Index digest',
      cell: ({ row }) => {
        const r = row.original;
        if (r.kind === 'pending') return <span className="text-xs text-slate-500 dark:text-slate-400">resolving…</span>;
        if (r.kind === 'error') return <span className="text-xs text-red-700 dark:text-red-400">{r.error.code}</span>;
        return <DigestText digest={r.group.digest} label={`index digest of ${r.group.tags.join(', ')}`} href={referenceHref(`${repository}@${r.group.digest}`)} />;
      },
    }),
    helper.display({
      id: 'kind',
      header: 'Kind',
      cell: ({ row }) => (row.original.kind === 'group' ? <span className="text-sm"><VisibleText text={describeGroupKind(row.original.group)} /></span> : null),
    }),
    helper.display({
      id: 'platforms',
      header: 'Platforms',
      cell: ({ row }) => {
        const r = row.original;
        if (r.kind === 'error') return <span className="text-sm text-red-700 dark:text-red-400"><VisibleText text={r.error.message} /></span>;
        if (r.kind !== 'group') return null;
        const { group, shares } = r;
        const attestationTitle = 'BuildKit attestation manifests (provenance / SBOM); never counted as platforms';
        return (
          <span className="flex flex-wrap items-center gap-1">
            {group.platforms.map((p) => (
              <Badge key={`${p.digest}-${p.platform}`}>
                <VisibleText text={p.platform} />
              </Badge>
            ))}
            {group.platformsNeedPull && (
              <span className="text-sm text-slate-600 dark:text-slate-400" title="Not described by the registry's web API; reading its platforms costs a pull">
                platforms need a pull: open the tag
              </span>
            )}
            {group.attestations.length > 0 && (
              <Badge tone="info" title={attestationTitle}>
                provenance / SBOM
              </Badge>
            )}
            {group.signatures.length > 0 && (
              <Badge tone="good" title={group.signatures.map((s) => s.tag).join('\n')}>
                signed
              </Badge>
            )}
            {shares && (
              <Badge tone="warn" title={`${shortDigest(shares.digest)}`}>
                shares {shares.shared} of {shares.of} platform images with {shares.tag}
              </Badge>
            )}
          </span>
        );
      },
    }),
    helper.display({
      id: 'size',
      header: 'Compressed size',
      cell: ({ row }) => (row.original.kind === 'group' ? <span className="whitespace-nowrap text-sm tabular-nums">{sizeRange(row.original.group)}</span> : null),
    }),
    helper.display({
      id: 'pushed',
      header: 'Last pushed',
      // Only registries that say when a tag was pushed (Docker Hub's web API) fill it; "—" else.
      // On a phone, day and time may wrap apart, so the column stays narrow.
      cell: ({ row }) => {
        if (row.original.kind !== 'group') return null;
        const [day, ...time] = formatCreated(row.original.group.lastPushed).split(' ');
        return (
          <time className="text-sm tabular-nums md:whitespace-nowrap" dateTime={row.original.group.lastPushed ?? undefined}>
            <span className="whitespace-nowrap">{day}</span>
            {time.length > 0 && (
              <>
                {' '}
                <span className="whitespace-nowrap">{time.join(' ')}</span>
              </>
            )}
          </time>
        );
      },
    }),
  ]);
  return pushDates ? columns : columns.filter((column) => column.id !== 'pushed');
}
