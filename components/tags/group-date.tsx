'use client';
// The date in a group's row: when its tags were last pushed where the registry's web API says
// (Docker Hub's), else when the image was built (`created`) — known already when the view was
// sorted by date, else read from one image config, only for rows on screen (the table is
// virtualized) and only where the platform's image ID is known, so it is one blob GET, never a
// manifest GET (a pull on Docker Hub).

import type { Group } from '@/lib/api/types';
import { useConfig } from '@/lib/swr/use-config';
import { RelativeTime } from '../ui/relative-time';

export function GroupDate({ repository, group }: { repository: string; group: Group }) {
  if (group.lastPushed) return <RelativeTime date={group.lastPushed} verb="pushed" />;
  if (group.created !== undefined) return group.created ? <RelativeTime date={group.created} verb="built" /> : <NoDate />;
  const first = group.platforms.find((p) => p.configDigest);
  if (!first) return <NoDate />;
  return <BuildDate repository={repository} platformDigest={first.digest} />;
}

function BuildDate({ repository, platformDigest }: { repository: string; platformDigest: string }) {
  const { data, error, isLoading } = useConfig(repository, platformDigest);
  if (isLoading) return <span className="text-xs text-slate-500 dark:text-slate-400">loading…</span>;
  if (error || !data?.config.created) return <NoDate title={error?.message} />;
  return <RelativeTime date={data.config.created} verb="built" />;
}

function NoDate({ title }: { title?: string }) {
  return (
    <span title={title ?? 'The registry gives no date for this image'} className="text-slate-500 dark:text-slate-400">
      —
    </span>
  );
}
