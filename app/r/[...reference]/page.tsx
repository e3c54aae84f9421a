import type { Metadata } from 'next';
import { permanentRedirect } from 'next/navigation';
import { ReferenceForm } from '@/components/reference/reference-form';
import { ReferenceSummary } from '@/components/reference/reference-summary';
import { referenceHref } from '@/lib/registry/reference';
import { parseRouteReference } from '@/lib/routes';

interface Props {
  params: Promise<{ reference: string[] }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const parsed = parseRouteReference((await params).reference);
  return { title: parsed.ok ? parsed.reference.familiar : 'Invalid reference' };
}

export default async function ReferencePage({ params }: Props) {
  const parsed = parseRouteReference((await params).reference);
  if (!parsed.ok) {
    return (
      <div className="max-w-3xl space-y-6">
        <h1 className="text-2xl font-bold">Invalid reference</h1>
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-4 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
          {parsed.error.message}
        </p>
        <ReferenceForm initialValue={parsed.input} />
      </div>
    );
  }
  if (parsed.input !== parsed.reference.canonical) {
    permanentRedirect(referenceHref(parsed.reference));
  }
  return <ReferenceSummary reference={parsed.reference} />;
}
