'use client';
// Column definitions of the tags table: one row per group of tags that point at the same
// index digest (or per tag still resolving), as Docker Hub's tag list, with the digests named.

import { createColumnHelper, rowExpandingFeature, tableFeatures } from '@tanstack/react-table';
import type { Row } from '@/lib/swr/repository-state';
import { describeGroupKind, formatBytes, sizeRange } from '@/lib/common/format';
import { familiarName, parseRepository } from '@/lib/registry/reference';
import { referenceHref } from '@/lib/common/routes';
import { Badge } from '../ui/badge';
import { DigestText } from './digest-text';
import { GroupDate } from './group-date';
import { PullMenu } from './pull-menu';
import { VisibleText } from '../ui/visible-text';

export const features = tableFeatures({ rowExpandingFeature });
const helper = createColumnHelper<typeof features, Row>();

/** A column's cells on the card layout of phones (below `md`), where the table becomes a list of cards. */
export const CARD_LABEL = 'text-xs text-slate-600 md:hidden dark:text-slate-400';

function TagLinks({ repository, name, tags }: { repository: string; name: string; tags: string[] }) {
  return (
    <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
      {tags.map((tag) => (
        <a key={tag} href={referenceHref(`${repository}:${tag}`)} className="whitespace-nowrap font-mono text-sm font-medium text-sky-700 underline-offset-2 hover:underline dark:text-sky-400">
          {tag}
        </a>
      ))}
      <PullMenu name={name} tags={tags} />
    </span>
  );
}

export function columnsFor(repository: string, { pushDates = true }: { pushDates?: boolean } = {}) {
  // The name `docker pull` takes: `alpine` for docker.io/library/alpine.
  const reference = parseRepository(repository);
  const name = familiarName(reference.registry, reference.path);
  return helper.columns([
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
              aria-label={`${expanded ? 'Hide' : 'Show'} the platforms of ${r.tags.join(', ')}`}
              className="mt-0.5 inline-flex h-5 w-5 shrink-0 items-center justify-center rounded border border-slate-300 text-xs hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-600 dark:border-slate-600 dark:hover:bg-slate-800"
            >
              <span aria-hidden="true">{expanded ? '−' : '+'}</span>
            </button>
            <TagLinks repository={repository} name={name} tags={r.tags} />
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
        const index = <DigestText digest={r.group.digest} label={`index digest of ${r.tags.join(', ')}`} href={referenceHref(`${repository}@${r.group.digest}`)} />;
        // With a platform chosen, that platform's digest too: the one Docker Hub lists per row.
        if (!r.platform) return <><span className={CARD_LABEL}>Index digest </span>{index}</>;
        return (
          <span className="flex flex-col gap-1">
            <span>
              <span className={CARD_LABEL}>Index digest </span>
              {index}
            </span>
            <span data-testid="platform-digest">
              <span className="text-xs text-slate-600 dark:text-slate-400">
                <VisibleText text={r.platform.platform} />{' '}
              </span>
              <DigestText digest={r.platform.digest} label={`platform digest of ${r.platform.platform} for ${r.tags.join(', ')}`} href={referenceHref(`${repository}@${r.platform.digest}`)} />
            </span>
          </span>
        );
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
              <a
                href={`/compare?a=${encodeURIComponent(`${repository}@${group.digest}`)}&b=${encodeURIComponent(`${repository}@${shares.digest}`)}`}
                className="rounded underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-sky-600"
                title={`Compare with ${shares.tag}: which platform images differ, and why`}
              >
                <Badge tone="warn">
                  shares {shares.shared} of {shares.of} platform images with {shares.tag}
                </Badge>
              </a>
            )}
          </span>
        );
      },
    }),
    helper.display({
      id: 'size',
      header: 'Compressed size',
      cell: ({ row }) => {
        const r = row.original;
        if (r.kind !== 'group') return null;
        return (
          <span className="text-sm tabular-nums">
            <span className={CARD_LABEL}>Compressed size </span>
            <span className="whitespace-nowrap">{r.platform ? formatBytes(r.platform.compressedSize) : sizeRange(r.group)}</span>
          </span>
        );
      },
    }),
    helper.display({
      id: 'date',
      // Docker Hub's "Last pushed" where the registry says when tags were pushed; else the build date.
      header: pushDates ? 'Last pushed' : 'Created',
      cell: ({ row }) => {
        const r = row.original;
        if (r.kind !== 'group') return null;
        return (
          <span className="text-sm" data-testid="group-date">
            <GroupDate repository={repository} group={r.group} />
          </span>
        );
      },
    }),
  ]);
}
