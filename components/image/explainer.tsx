// The three digests, with this image's real values: which one each tool shows. A manifest asked
// for by digest is one platform's image, and says so; a tag to a single manifest has one digest
// for both.
import type { Group } from '@/lib/api/types';
import { familiarName, type Reference } from '@/lib/registry/reference';

export function Explainer({ reference, group }: { reference: Reference; group: Group }) {
  const platform = group.platforms.find((p) => p.platform === 'linux/amd64') ?? group.platforms[0];
  if (!platform) return null;
  const name = `${familiarName(reference.registry, reference.path)}${reference.tag ? `:${reference.tag}` : `@${group.digest}`}`;
  return (
    <p className="rounded-md border border-sky-200 bg-sky-50 p-3 text-sm leading-6 text-sky-950 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-100" data-testid="explainer">
      <code className="break-all">docker pull {name}</code> prints <code className="break-all">{group.digest}</code>
      {group.kind === 'index' ? (
        <>
          ; Docker Hub lists <code className="break-all">{platform.digest}</code> for {platform.platform}
        </>
      ) : reference.tag === null && group.kind === 'manifest' ? (
        <> (this platform’s image alone: its platform digest)</>
      ) : (
        <> (a single manifest: the platform digest is the same)</>
      )}
      {platform.configDigest && (
        <>
          ; <code>docker images</code> shows the image ID <code className="break-all">{platform.configDigest}</code>
          {group.kind === 'index' ? ` (${platform.platform})` : ''}
        </>
      )}
      .
    </p>
  );
}
