// A cosign tag's page (`sha256-<hex>.sig` and its kin) says what the tag is and leads to the
// image it names: the tag is named after that digest (docs/registry-protocol.md §5.5).
import Link from 'next/link';
import type { Reference } from '@/lib/registry/reference';
import { referenceHref } from '@/lib/common/routes';
import { signatureOf } from './page-kind';

export function SignatureNote({ reference }: { reference: Reference }) {
  const signature = signatureOf(reference);
  if (!signature) return null;
  return (
    <p role="note" data-testid="signature-subject" className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm leading-6 text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100">
      This tag is {signature.what}{' '}
      <Link href={referenceHref(`${reference.repository}@${signature.subject}`)} className="break-all font-mono underline underline-offset-2">
        {signature.subject}
      </Link>
      , the digest its name carries. Open that digest for the image, its tags and its platforms.
    </p>
  );
}
