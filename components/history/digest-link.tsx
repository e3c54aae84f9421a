// A digest in history, short, linking to its page. Its name is the whole digest (it begins with
// the visible text, so speech input still finds it): the link says which digest, not only its
// first twelve characters. A plain link, as DigestText's: no prefetch, since a digest's page
// reads the registry.
import { shortDigest } from '@/lib/common/format';
import { referenceHref } from '@/lib/common/routes';

export function DigestLink({ repository, digest }: { repository: string; digest: string }) {
  return (
    <a
      href={referenceHref(`${repository}@${digest}`)}
      title={digest}
      aria-label={digest}
      className="font-mono text-xs text-sky-700 underline-offset-2 hover:underline dark:text-sky-400"
    >
      {shortDigest(digest)}
    </a>
  );
}
