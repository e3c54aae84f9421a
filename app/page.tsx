import Link from 'next/link';
import { connection } from 'next/server';
import { RecentRepositories } from '@/components/reference/recent-repositories';
import { ReferenceForm } from '@/components/reference/reference-form';
import { getServerConfig } from '@/lib/server/env';
import { parseReference } from '@/lib/registry/reference';
import { referenceHref } from '@/lib/common/routes';

/** What an example opens, in the words of the page it links to. */
function describe(example: string): string {
  const reference = parseReference(example);
  const where =
    reference.registry === 'docker.io' ? 'on Docker Hub' : reference.registry === 'ghcr.io' ? 'on GitHub Container Registry' : reference.registry === 'quay.io' ? 'on Quay' : `on ${reference.registry}`;
  if (reference.digest) return `one digest ${where}: what it is, and the tags that lead to it`;
  if (reference.tag) return `one tag ${where}: its index digest and platform table`;
  return `a repository ${where}: its tags grouped by index digest`;
}

export default async function HomePage() {
  // The examples come from the environment (TAGSCOPE_EXAMPLES), read when the page is asked for.
  await connection();
  const { examples } = getServerConfig();
  return (
    <div className="space-y-10">
      <section className="max-w-3xl space-y-4">
        <h1 className="text-3xl font-bold tracking-tight">Which digest is which?</h1>
        <p className="text-slate-700 dark:text-slate-300">
          Tagscope lists a repository&apos;s tags grouped by the digest <code>docker pull</code> prints, and
          opens each group into its platforms: the per-platform digest Docker Hub shows, the compressed size,
          and the image ID <code>docker images</code> shows.
        </p>
        <ReferenceForm />
      </section>
      <RecentRepositories />
      <section aria-labelledby="examples-heading" className="max-w-3xl">
        <h2 id="examples-heading" className="mb-3 text-lg font-semibold">
          Examples
        </h2>
        <ul className="divide-y divide-slate-200 rounded-md border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
          {examples.map((example) => (
            <li key={example} className="flex flex-wrap items-baseline gap-x-3 px-4 py-2">
              <Link href={referenceHref(example)} className="break-all font-mono text-sm text-sky-700 underline-offset-2 hover:underline dark:text-sky-400">
                {example}
              </Link>
              <span className="text-sm text-slate-600 dark:text-slate-400">{describe(example)}</span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
