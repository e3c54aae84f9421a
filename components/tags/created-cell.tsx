'use client';
// A platform's build date, read from its image config when the row is first shown.
import { formatCreated } from '@/lib/common/format';
import { useConfig } from '@/lib/swr/use-config';

export function CreatedCell({ repository, digest, known }: { repository: string; digest: string; known?: string | null }) {
  const { data, error, isLoading } = useConfig(repository, digest, known === undefined);
  if (known !== undefined) return <time dateTime={known ?? undefined}>{formatCreated(known)}</time>;
  if (isLoading) return <span className="text-xs text-slate-500 dark:text-slate-400">loading…</span>;
  if (error || !data) return <span title={error?.message}>—</span>;
  return <time dateTime={data.config.created}>{formatCreated(data.config.created)}</time>;
}
