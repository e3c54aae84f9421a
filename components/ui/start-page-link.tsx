// The way back from a page that found nothing to show: the error pages and the not-found page.
import Link from 'next/link';

export function StartPageLink() {
  return (
    <p className="text-sm">
      <Link href="/" className="text-sky-700 underline dark:text-sky-400">
        Back to the start page
      </Link>
    </p>
  );
}
