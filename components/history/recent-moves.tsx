// A repository page's "Recently moved": its latest tag moves, newest first, rendered on the
// server with the page (nothing shifts in later) and only when there are some, so a
// repository without history looks as it did.
import type { HistoryRead } from '@/lib/history/runtime';
import type { Move } from '@/lib/history/types';
import { MoveList } from './move-list';

export function RecentMoves({ repository, moves }: { repository: string; moves: HistoryRead<Move[]> }) {
  if (!moves.ok || moves.value.length === 0) return null;
  return (
    <section aria-labelledby="moved-heading" className="space-y-2" data-testid="recently-moved">
      <h2 id="moved-heading" className="text-lg font-semibold">
        Recently moved
      </h2>
      <MoveList repository={repository} moves={moves.value} label="Tags that moved most recently, newest first" showTag />
    </section>
  );
}
