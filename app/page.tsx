import Link from 'next/link';
import { ReferenceForm } from '@/components/reference/reference-form';
import { referenceHref } from '@/lib/routes';

const EXAMPLES = [
  { reference: 'alpine', note: 'an official image on Docker Hub' },
  { reference: 'alpine:3.20', note: 'one tag: its index digest and platform table' },
  { reference: 'ghcr.io/home-assistant/home-assistant', note: 'GitHub Container Registry' },
  { reference: 'quay.io/prometheus/prometheus', note: 'Quay' },
  { reference: 'registry.k8s.io/pause', note: 'the Kubernetes registry' },
];

export default function HomePage() {
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
      <section aria-labelledby="examples-heading" className="max-w-3xl">
        <h2 id="examples-heading" className="mb-3 text-lg font-semibold">
          Examples
        </h2>
        <ul className="divide-y divide-slate-200 rounded-md border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
          {EXAMPLES.map((example) => (
            <li key={example.reference} className="flex flex-wrap items-baseline gap-x-3 px-4 py-2">
              <Link
                href={referenceHref(example.reference)}
                className="font-mono text-sm text-sky-700 underline-offset-2 hover:underline dark:text-sky-400"
              >
                {example.reference}
              </Link>
              <span className="text-sm text-slate-600 dark:text-slate-400">{example.note}</span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
