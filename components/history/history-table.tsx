// The frame both history tables share (a tag's runs, a list of moves): a caption for screen
// readers, a header row of column names, and below `md` a block per row, header hidden.
import type { ReactNode } from 'react';

export function HistoryTable({ caption, columns, testId, children }: { caption: string; columns: string[]; testId: string; children: ReactNode }) {
  return (
    <div className="relative md:overflow-x-auto">
      <table className="text-left text-sm max-md:block max-md:w-full" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead className="text-xs uppercase text-slate-600 max-md:sr-only dark:text-slate-400">
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col" className="py-1 pr-8 font-medium">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="max-md:block">{children}</tbody>
      </table>
    </div>
  );
}
