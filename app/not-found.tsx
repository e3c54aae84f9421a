import type { Metadata } from 'next';
import { ReferenceForm } from '@/components/reference/reference-form';
import { StartPageLink } from '@/components/ui/start-page-link';

export const metadata: Metadata = { title: 'Page not found' };

// An address Tagscope has no page for: say so, and offer what the person most likely wanted.
export default function NotFound() {
  return (
    <div className="max-w-3xl space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-bold">Page not found</h1>
        <p className="text-slate-700 dark:text-slate-300">
          Tagscope has no page at this address. Images live under <code>/r/</code>, such as <code>/r/docker.io/library/alpine</code>; paste any
          reference below to open it.
        </p>
      </div>
      <ReferenceForm />
      <StartPageLink />
    </div>
  );
}
