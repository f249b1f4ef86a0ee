// One table for every list in the console: a header row, one row per item (a card of
// "label: value" lines on a phone, from `data-label`), an optional actions cell and an
// optional full-width row under an item (a form that belongs to it).
import type { ComponentChildren, VNode } from 'preact';

export type Column<T> = { title: string; value: (item: T) => ComponentChildren; mono?: boolean };

type Props<T> = {
  items: T[];
  columns: Column<T>[];
  /** Shown instead of the table when there are no items. */
  empty: string;
  caption?: string;
  rowId?: (item: T) => string;
  actions?: (item: T) => VNode | null;
  below?: (item: T) => VNode | null;
};

export function DataTable<T>({ items, columns, empty, caption, rowId, actions, below }: Props<T>) {
  if (items.length === 0) {
    return <p>{empty}</p>;
  }
  const width = columns.length + (actions ? 1 : 0);
  return (
    <div class="table-wrap">
      <table>
        {caption ? <caption class="visually-hidden">{caption}</caption> : null}
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col">{c.title}</th>
            ))}
            {actions ? (
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {items.map((item) => {
            const extra = below?.(item);
            return (
              <>
                <tr data-id={rowId?.(item)}>
                  {columns.map((c) => (
                    <td data-label={c.title} class={c.mono ? 'mono' : undefined}>
                      {c.value(item)}
                    </td>
                  ))}
                  {actions ? <td class="row-actions">{actions(item)}</td> : null}
                </tr>
                {extra ? (
                  <tr>
                    <td colSpan={width}>{extra}</td>
                  </tr>
                ) : null}
              </>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
