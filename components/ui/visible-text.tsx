// Registry text with its bidi and control characters shown as marked `\u202E` escapes, so a
// right-to-left override cannot disguise what it precedes (lib/common/visible-text.ts). Past a few
// marks per text the escapes stay visible but unmarked, which keeps a text made of nothing
// but controls from costing an element per character.
import { splitInvisible } from '@/lib/common/visible-text';
import { RENDER_LIMITS } from '../image/render-limits';

export function VisibleText({ text }: { text: string }) {
  const parts = splitInvisible(text);
  if (parts.length <= 1 && parts[0]?.kind !== 'invisible') return text;
  const shown: React.ReactNode[] = [];
  let marks = 0;
  let rest = '';
  for (const [i, part] of parts.entries()) {
    if (marks === RENDER_LIMITS.markedPerText) rest += part.kind === 'text' ? part.text : part.escape;
    else if (part.kind === 'text') shown.push(part.text);
    else {
      marks += 1;
      shown.push(
        <span key={i} title={part.name} className="rounded-sm bg-amber-100 px-0.5 text-amber-950 dark:bg-amber-900 dark:text-amber-50">
          {part.escape}
        </span>,
      );
    }
  }
  return (
    <>
      {shown}
      {rest}
    </>
  );
}
