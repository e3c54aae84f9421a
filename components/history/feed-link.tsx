// The visible way to the Atom feed of tag moves (the <link rel="alternate"> in the page's head
// is the other): a repository's, or one tag's.
import { feedHref } from '@/lib/common/routes';

export function FeedLink({ repository, tag }: { repository: string; tag?: string | null }) {
  return (
    <a
      href={feedHref(repository, tag)}
      type="application/atom+xml"
      className="inline-flex items-center gap-1 text-sm text-sky-700 underline-offset-2 hover:underline dark:text-sky-400"
      data-testid="feed-link"
    >
      <svg aria-hidden="true" viewBox="0 0 16 16" className="h-3.5 w-3.5 fill-current">
        <circle cx="3" cy="13" r="2" />
        <path d="M1 6.5a8.5 8.5 0 0 1 8.5 8.5h-2A6.5 6.5 0 0 0 1 8.5z" />
        <path d="M1 1.5A13.5 13.5 0 0 1 14.5 15h-2A11.5 11.5 0 0 0 1 3.5z" />
      </svg>
      Feed<span className="sr-only"> of {tag ? `${tag}’s` : 'this repository’s'} tag moves (Atom)</span>
    </a>
  );
}
