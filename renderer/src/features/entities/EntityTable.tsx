/** The list of one entity kind, with row actions. */
import { Fragment, useState, type ReactNode } from 'react';
import { Button } from '../../ui/Button';
import type { BaseRow, EntityConfig, RowAction } from './entity-types';

export interface EntityTableProps {
  config: EntityConfig;
  rows: BaseRow[];
  onEdit: (row: BaseRow) => void;
  onDelete: (row: BaseRow) => void;
  onAction: (action: RowAction, row: BaseRow) => void;
  onToggle: (row: BaseRow) => void;
  /** No add, edit, delete, toggle or row action: the user may only read. */
  readOnly?: boolean;
}

export function EntityTable({ config, rows, onEdit, onDelete, onAction, onToggle, readOnly = false }: EntityTableProps): ReactNode {
  const [expanded, setExpanded] = useState<string | null>(null);
  const span = config.columns.length + (config.toggleDisabled ? 2 : 1);
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table className="sticky-last-col w-full text-left text-sm" data-testid={`${config.path}-table`}>
        <thead className="border-b border-zinc-200 bg-zinc-50 text-xs uppercase tracking-wider text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900/60">
          <tr>
            {config.columns.map((c) => (
              <th key={c.label} className="px-4 py-2.5 font-semibold">
                {c.label}
              </th>
            ))}
            {config.toggleDisabled ? <th className="px-4 py-2.5 font-semibold">Enabled</th> : null}
            <th className="px-4 py-2.5 text-right font-semibold">Actions</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {rows.map((row) => {
            const { id } = row;
            return (
              <Fragment key={id}>
                <tr className="align-middle hover:bg-zinc-50/60 dark:hover:bg-zinc-800/30" data-testid={`${config.path}-row-${id}`}>
                  {config.columns.map((c) => (
                    <td key={c.label} className={`px-4 py-2.5 ${c.className ?? ''}`}>
                      {c.render(row)}
                    </td>
                  ))}
                  {config.toggleDisabled ? (
                    <td className="px-4 py-2.5">
                      <button
                        type="button"
                        role="switch"
                        aria-checked={row.isDisabled !== true}
                        disabled={readOnly}
                        onClick={() => onToggle(row)}
                        data-testid={`${config.path}-toggle-${id}`}
                        className={`relative inline-flex h-5 w-9 items-center rounded-full transition-colors ${row.isDisabled === true ? 'bg-zinc-300 dark:bg-zinc-700' : 'bg-emerald-500'}`}
                      >
                        <span
                          className={`inline-block size-4 rounded-full bg-white shadow transition-transform ${row.isDisabled === true ? 'translate-x-0.5' : 'translate-x-4.5'}`}
                        />
                      </button>
                    </td>
                  ) : null}
                  <td className="px-4 py-2.5">
                    <div className="flex justify-end gap-1.5">
                      {(readOnly ? [] : (config.actions ?? [])).map((a) => (
                        <Button key={a.testId} size="sm" onClick={() => onAction(a, row)} data-testid={`${a.testId}-${id}`}>
                          {a.label}
                        </Button>
                      ))}
                      {config.detail ? (
                        <Button size="sm" variant="ghost" onClick={() => setExpanded(expanded === id ? null : id)} data-testid={`${config.path}-expand-${id}`}>
                          {expanded === id ? 'Hide' : 'Triggers'}
                        </Button>
                      ) : null}
                      {readOnly ? null : (
                        <>
                          <Button size="sm" variant="ghost" onClick={() => onEdit(row)} data-testid={`${config.path}-edit-${id}`}>
                            Edit
                          </Button>
                          <Button size="sm" variant="dangerGhost" onClick={() => onDelete(row)} data-testid={`${config.path}-delete-${id}`}>
                            Delete
                          </Button>
                        </>
                      )}
                    </div>
                  </td>
                </tr>
                {config.detail && expanded === id ? (
                  <tr>
                    <td colSpan={span} className="bg-zinc-50 px-4 py-3 dark:bg-zinc-950/40">
                      {config.detail(row)}
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
