'use client';
// The table shell: rows from the TanStack table, virtualized in their own scroll area so
// thousands of tags stay smooth. Each virtual item is one <tbody> (a group row and, when
// expanded, its platform table); spacers above and below keep the scroll height right.
// Column widths are fixed (table-layout: fixed), so they do not move as rows stream in. Below
// `md` the table is a list of cards (the same cells, stacked), so nothing scrolls sideways.

import { useTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useSyncExternalStore } from 'react';
import type { Row } from '@/lib/swr/repository-state';
import { columnsFor, features } from './columns';
import { PlatformTable } from './platform-table';

// Per column: its width on the table layout and where its cell sits on a phone's card (a
// two-column grid). Kind and size need room: kind from `lg`, size from `md` in the table.
const COLUMNS: Record<string, { col: string; cell: string }> = {
  tags: { col: 'w-[26%]', cell: 'max-md:col-span-2' },
  digest: { col: 'w-[13.5rem]', cell: 'max-md:col-span-2' },
  kind: { col: 'hidden w-36 lg:table-column', cell: 'hidden lg:table-cell' },
  platforms: { col: '', cell: 'max-md:col-span-2' },
  size: { col: 'hidden w-32 lg:table-column', cell: 'max-md:col-start-1 md:hidden lg:table-cell' },
  date: { col: 'w-32', cell: 'max-md:col-start-2 max-md:text-right' },
};

/** Below `md` rows are cards (the `max-md:` classes). */
const PHONE = '(max-width: 767.98px)';

function subscribePhone(onChange: () => void): () => void {
  const query = window.matchMedia(PHONE);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

/** Whether rows are cards; false on the server and while hydrating, so the markup matches. */
function usePhone(): boolean {
  return useSyncExternalStore(subscribePhone, () => window.matchMedia(PHONE).matches, () => false);
}

/** A click on a row's free space opens it, as on Docker Hub; links, buttons and selected text keep theirs. */
function isRowToggle(event: React.MouseEvent): boolean {
  const target = event.target as Element;
  if (target.closest('a, button, input, select, textarea, summary, label, [tabindex]')) return false;
  return (window.getSelection()?.toString() ?? '') === '';
}

export function GroupTable({ repository, rows }: { repository: string; rows: Row[] }) {
  // "Last pushed" only where the registry says when tags were pushed (a web API such as Docker Hub's).
  const pushDates = rows.some((row) => row.kind === 'group' && row.group.lastPushed !== null);
  const columns = useMemo(() => columnsFor(repository, { pushDates }), [repository, pushDates]);
  const table = useTable({
    features,
    columns,
    data: rows,
    getRowId: (row) => row.id,
    getRowCanExpand: (row) => row.original.kind === 'group',
  });
  const modelRows = table.getRowModel().rows;
  const phone = usePhone();
  const scrollRef = useRef<HTMLDivElement>(null);
  // The React Compiler is not enabled here, so its memoization warning does not apply.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: modelRows.length,
    getScrollElement: () => scrollRef.current,
    // A row is one line of the table, or on a phone a card several lines tall: estimating it
    // right keeps the first render to what fills the screen (Lighthouse's mobile profile paid
    // for three times as many cards as it showed).
    estimateSize: () => (phone ? 220 : 52),
    overscan: phone ? 2 : 8,
    // Until the scroll area is measured (first render, server render), assume a screenful.
    initialRect: { width: 1024, height: 800 },
    getItemKey: (index) => modelRows[index]?.id ?? index,
  });
  const items = virtualizer.getVirtualItems();
  const top = items.length > 0 ? items[0]!.start : 0;
  const bottom = items.length > 0 ? virtualizer.getTotalSize() - items.at(-1)!.end : 0;
  const cellClass = (id: string) => `px-3 py-2 align-top max-md:block max-md:px-0 max-md:py-0.5 ${COLUMNS[id]?.cell ?? ''}`;

  return (
    <div ref={scrollRef} className="relative max-h-[75vh] overflow-auto rounded-md border border-slate-200 dark:border-slate-800" data-testid="tags-scroll">
    <table className="w-full border-collapse text-left max-md:block md:table-fixed">
      <caption className="sr-only">Tags of {repository}, grouped by the index digest they point at</caption>
      <colgroup className="max-md:hidden">
        {table.getAllLeafColumns().map((column) => (
          <col key={column.id} className={COLUMNS[column.id]?.col} />
        ))}
      </colgroup>
      <thead className="sticky top-0 z-10 border-b border-slate-300 bg-white text-xs uppercase text-slate-600 max-md:sr-only dark:border-slate-700 dark:bg-slate-950 dark:text-slate-400">
        {table.getHeaderGroups().map((headerGroup) => (
          <tr key={headerGroup.id}>
            {headerGroup.headers.map((header) => (
              <th key={header.id} scope="col" className={`${cellClass(header.column.id)} font-medium`}>
                <table.FlexRender header={header} />
              </th>
            ))}
          </tr>
        ))}
      </thead>
      {top > 0 && (
        <tbody aria-hidden="true" className="max-md:block">
          <tr style={{ height: top }} className="max-md:block" />
        </tbody>
      )}
      {items.map((item) => {
        const row = modelRows[item.index]!;
        const r = row.original;
        return (
          <tbody
            key={row.id}
            data-index={item.index}
            ref={virtualizer.measureElement}
            data-row-kind={r.kind}
            data-digest={r.kind === 'group' ? r.group.digest : undefined}
            className="border-b border-slate-200 max-md:block dark:border-slate-800"
          >
            <tr
              onClick={r.kind === 'group' ? (event) => isRowToggle(event) && row.toggleExpanded() : undefined}
              className={`max-md:grid max-md:grid-cols-[minmax(0,1fr)_auto] max-md:gap-x-3 max-md:gap-y-1 max-md:px-3 max-md:py-2 ${r.kind === 'group' ? 'cursor-pointer hover:bg-slate-50 dark:hover:bg-slate-900/60' : ''}`}
            >
              {row.getAllCells().map((cell) => (
                <td key={cell.id} className={cellClass(cell.column.id)}>
                  <table.FlexRender cell={cell} />
                </td>
              ))}
            </tr>
            {r.kind === 'group' && row.getIsExpanded() && (
              <tr id={`platforms-${r.group.digest.slice(7, 19)}`} className="max-md:block">
                <td colSpan={columns.length} className="bg-slate-50 px-3 pb-3 pt-1 max-md:block dark:bg-slate-900">
                  <PlatformTable repository={repository} platforms={r.group.platforms} caption={`Platforms of ${r.tags.join(', ')}`} />
                </td>
              </tr>
            )}
          </tbody>
        );
      })}
      {bottom > 0 && (
        <tbody aria-hidden="true" className="max-md:block">
          <tr style={{ height: bottom }} className="max-md:block" />
        </tbody>
      )}
    </table>
    </div>
  );
}
