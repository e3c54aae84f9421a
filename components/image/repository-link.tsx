// The way back from an image or digest page to its repository's tags.
import Link from 'next/link';
import { familiarName, type Reference } from '@/lib/registry/reference';
import { referenceHref } from '@/lib/common/routes';

export function RepositoryLink({ reference }: { reference: Reference }) {
  return (
    <p className="text-sm">
      <Link href={referenceHref(reference.repository)} className="text-sky-700 underline-offset-2 hover:underline dark:text-sky-400">
        All tags of {familiarName(reference.registry, reference.path)}
      </Link>
    </p>
  );
}
