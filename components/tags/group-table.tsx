'use client';
// The table shell: rows from the TanStack table, virtualized in their own scroll area so
// thousands of tags stay smooth. Each virtual item is one <tbody> (a group row and, when
// expanded, its platform table); spacers above and below keep the scroll height right.

import { useTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef } from 'react';
import type { Row } from '@/lib/swr/repository-state';
import { columnsFor, features } from './columns';
import { PlatformTable } from './platform-table';

const HIDDEN_ON_PHONES = new Set(['kind', 'size']);

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
  const scrollRef = useRef<HTMLDivElement>(null);
  // The React Compiler is not enabled here, so its memoization warning does not apply.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: modelRows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 52,
    overscan: 8,
    // Until the scroll area is measured (first render, server render), assume a screenful.
    initialRect: { width: 1024, height: 800 },
    getItemKey: (index) => modelRows[index]?.id ?? index,
  });
  const items = virtualizer.getVirtualItems();
  const top = items.length > 0 ? items[0]!.start : 0;
  const bottom = items.length > 0 ? virtualizer.getTotalSize() - items.at(-1)!.end : 0;
  const cellClass = (id: string) => `px-3 py-2 align-top ${HIDDEN_ON_PHONES.has(id) ? 'hidden md:table-cell' : ''}`;

  return (
    <div ref={scrollRef} className="relative max-h-[75vh] overflow-auto rounded-md border border-slate-200 dark:border-slate-800" data-testid="tags-scroll">
    <table className="w-full min-w-[40rem] border-collapse text-left">
      <caption className="sr-only">Tags of {repository}, grouped by the index digest they point at</caption>
      <thead className="sticky top-0 z-10 border-b border-slate-300 bg-white text-xs uppercase text-slate-600 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-400">
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
        <tbody aria-hidden="true">
          <tr style={{ height: top }} />
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
            className="border-b border-slate-200 dark:border-slate-800"
          >
            <tr>
              {row.getAllCells().map((cell) => (
                <td key={cell.id} className={cellClass(cell.column.id)}>
                  <table.FlexRender cell={cell} />
                </td>
              ))}
            </tr>
            {r.kind === 'group' && row.getIsExpanded() && (
              <tr id={`platforms-${r.group.digest.slice(7, 19)}`}>
                <td colSpan={columns.length} className="bg-slate-50 px-3 pb-3 pt-1 dark:bg-slate-900">
                  <PlatformTable repository={repository} platforms={r.group.platforms} caption={`Platforms of ${r.group.tags.join(', ')}`} />
                </td>
              </tr>
            )}
          </tbody>
        );
      })}
      {bottom > 0 && (
        <tbody aria-hidden="true">
          <tr style={{ height: bottom }} />
        </tbody>
      )}
    </table>
    </div>
  );
}
