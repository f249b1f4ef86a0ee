// A configuration resource: its list, a form to create one, a form to edit one (sending
// only what changed) and delete with confirmation. Pages add columns and row actions.
import type { ComponentChildren, VNode } from 'preact';
import { useState } from 'preact/hooks';

import { describe } from '../api';
import { type Column, DataTable } from './data_table';
import { useLoad } from './load';
import { ErrorNote, InfoNote } from './notice';
import { type FieldOverride, SchemaForm } from './schema_form';


type Props<T extends { id: string }> = {
  title: string;
  /** Singular, for buttons and messages: "extension". */
  noun: string;
  createSchema: string;
  patchSchema: string;
  list: () => Promise<T[]>;
  create: (body: Record<string, unknown>) => Promise<unknown>;
  /** What to say once created (e.g. a secret shown only once). */
  created?: (result: unknown) => string;
  update: (id: string, body: Record<string, unknown>) => Promise<unknown>;
  remove: (id: string) => Promise<unknown>;
  columns: Column<T>[];
  name: (item: T) => string;
  refreshOn?: string[];
  overrides?: Record<string, FieldOverride>;
  rowActions?: (item: T, reload: () => void) => VNode | null;
  children?: ComponentChildren;
};

type Mode<T> = { kind: 'list' } | { kind: 'create' } | { kind: 'edit'; item: T };

export function ResourcePage<T extends { id: string }>(p: Props<T>) {
  const { data, error, reload } = useLoad(p.list, [], ['config.changed', ...(p.refreshOn ?? [])]);
  const [mode, setMode] = useState<Mode<T>>({ kind: 'list' });
  const [message, setMessage] = useState<string | undefined>(undefined);
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const slug = p.noun.replace(/\s+/g, '-');

  const remove = async (item: T) => {
    if (!confirm(`Delete ${p.noun} ${p.name(item)}?`)) {
      return;
    }
    try {
      await p.remove(item.id);
      setFailure(undefined);
      setMessage(`Deleted ${p.noun} ${p.name(item)}.`);
      reload();
    } catch (e) {
      setFailure(describe(e));
    }
  };

  return (
    <section aria-labelledby={`${slug}-title`}>
      <div class="page-head">
        <h1 id={`${slug}-title`}>{p.title}</h1>
        {mode.kind === 'list' ? (
          <button
            type="button"
            onClick={() => {
              setMessage(undefined);
              setMode({ kind: 'create' });
            }}
          >
            New {p.noun}
          </button>
        ) : null}
      </div>
      {message ? <InfoNote>{message}</InfoNote> : null}
      <ErrorNote message={failure ?? error} />
      {mode.kind === 'create' ? (
        <div class="panel">
          <h2>New {p.noun}</h2>
          <SchemaForm
            schema={p.createSchema}
            idPrefix={`new-${slug}`}
            submitLabel={`Create ${p.noun}`}
            overrides={p.overrides}
            onSubmit={async (body) => {
              const result = await p.create(body);
              setMessage(p.created?.(result) ?? `Created ${p.noun}.`);
              setMode({ kind: 'list' });
              reload();
            }}
            onCancel={() => setMode({ kind: 'list' })}
          />
        </div>
      ) : null}
      {mode.kind === 'edit' ? (
        <div class="panel">
          <h2>
            Edit {p.noun} {p.name(mode.item)}
          </h2>
          <SchemaForm
            schema={p.patchSchema}
            idPrefix={`edit-${slug}`}
            initial={mode.item as unknown as Record<string, unknown>}
            submitLabel="Save changes"
            overrides={p.overrides}
            onSubmit={async (body) => {
              await p.update(mode.item.id, body);
              setMessage(`Saved ${p.noun} ${p.name(mode.item)}.`);
              setMode({ kind: 'list' });
              reload();
            }}
            onCancel={() => setMode({ kind: 'list' })}
          />
        </div>
      ) : null}
      {data === undefined ? (
        error ? null : <p aria-busy="true">Loading…</p>
      ) : (
        <DataTable
          items={data}
          columns={p.columns}
          empty={`No ${p.noun}s yet.`}
          caption={p.title}
          rowId={(item) => item.id}
          actions={(item) => (
            <>
              {p.rowActions?.(item, reload)}
              <button type="button" class="secondary" aria-label={`Edit ${p.noun} ${p.name(item)}`} onClick={() => setMode({ kind: 'edit', item })}>
                Edit
              </button>
              <button type="button" class="danger" aria-label={`Delete ${p.noun} ${p.name(item)}`} onClick={() => void remove(item)}>
                Delete
              </button>
            </>
          )}
        />
      )}
      {p.children}
    </section>
  );
}
