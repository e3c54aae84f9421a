// A digest shown short, whole on hover and to screen readers, with a copy button.
import { shortDigest } from '@/lib/common/format';
import { CopyButton } from '../ui/copy-button';

export function DigestText({ digest, label, href }: { digest: string; label: string; href?: string }) {
  const text = (
    <code title={digest} className="font-mono text-xs">
      {shortDigest(digest)}
      <span className="sr-only">{digest.slice(shortDigest(digest).length)}</span>
    </code>
  );
  return (
    <span className="inline-flex items-center gap-1.5">
      {href ? (
        <a href={href} className="text-sky-700 underline-offset-2 hover:underline dark:text-sky-400">
          {text}
        </a>
      ) : (
        text
      )}
      <CopyButton value={digest} label={`Copy ${label} ${digest}`} />
    </span>
  );
}
