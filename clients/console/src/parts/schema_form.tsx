// A form for a request schema of the API (from /openapi.json): one labelled input per field,
// its documentation under it, and the server's 422 field errors next to the field they name.
import { useEffect, useMemo, useState } from 'preact/hooks';

import { ApiError, describe } from '../api';
import { type Field, type FieldKind, type FormValues, FormProblem, bodyOf, fieldsOf, formValues, label } from '../schema';
import { ErrorNote } from './notice';

export type FieldOverride = { kind?: FieldKind; hidden?: boolean; options?: string[] };

type Props = {
  schema: string;
  /** The resource being edited: the form sends only what changed. */
  initial?: Record<string, unknown>;
  submitLabel: string;
  idPrefix: string;
  overrides?: Record<string, FieldOverride>;
  onSubmit: (body: Record<string, unknown>) => Promise<void>;
  onCancel?: () => void;
};

function adjust(fields: Field[], overrides: Record<string, FieldOverride>): Field[] {
  return fields
    .filter((f) => !overrides[f.path]?.hidden)
    .map((f) => {
      const o = overrides[f.path];
      const children = adjust(f.children, overrides);
      return { ...f, kind: o?.kind ?? f.kind, options: o?.options ?? f.options, children };
    });
}

/** Which field an error path (`forwarding.busy`, `members[2]`) belongs to. */
function owner(fields: Field[], path: string): Field | undefined {
  for (const f of fields) {
    if (f.kind === 'object') {
      const inner = owner(f.children, path);
      if (inner) {
        return inner;
      }
    }
    if (path === f.path || path.startsWith(`${f.path}.`) || path.startsWith(`${f.path}[`)) {
      return f.kind === 'object' ? undefined : f;
    }
  }
  return undefined;
}

export function SchemaForm({ schema, initial, submitLabel, idPrefix, overrides = {}, onSubmit, onCancel }: Props) {
  const [fields, setFields] = useState<Field[] | undefined>(undefined);
  const [values, setValues] = useState<FormValues>({});
  const [start, setStart] = useState<FormValues | undefined>(undefined);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    fieldsOf(schema).then(
      (fs) => {
        const adjusted = adjust(fs, overrides);
        const v = formValues(adjusted, initial);
        setFields(adjusted);
        setValues(v);
        setStart(initial ? v : undefined);
      },
      (e: unknown) => setGeneral(describe(e)),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [schema, initial]);

  const byField = useMemo(() => {
    const out: Record<string, string> = {};
    for (const [path, message] of Object.entries(errors)) {
      const f = fields ? owner(fields, path) : undefined;
      const key = f?.path ?? '';
      const text = f && f.path !== path ? `${path}: ${message}` : message;
      out[key] = out[key] ? `${out[key]}; ${text}` : text;
    }
    return out;
  }, [errors, fields]);

  if (!fields) {
    return <ErrorNote message={general} />;
  }

  const submit = async (ev: Event) => {
    ev.preventDefault();
    setGeneral(undefined);
    let body: Record<string, unknown>;
    try {
      body = bodyOf(fields, values, start);
    } catch (e) {
      if (e instanceof FormProblem) {
        setErrors(e.fields);
        return;
      }
      throw e;
    }
    setBusy(true);
    try {
      await onSubmit(body);
      setErrors({});
    } catch (e) {
      if (e instanceof ApiError && Object.keys(e.fields()).length > 0) {
        setErrors(e.fields());
        setGeneral(`${e.problem?.title ?? 'Refused'}: ${e.problem?.detail ?? ''}`);
      } else {
        setErrors({});
        setGeneral(describe(e));
      }
    } finally {
      setBusy(false);
    }
  };

  const input = (f: Field) => {
    const id = `${idPrefix}-${f.path.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
    const help = f.description ? `${id}-help` : undefined;
    const error = byField[f.path];
    const errorId = error ? `${id}-error` : undefined;
    const describedBy = [help, errorId].filter(Boolean).join(' ') || undefined;
    const common = { id, name: f.path, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined };
    const set = (v: string | boolean) => setValues((old) => ({ ...old, [f.path]: v }));
    const text = typeof values[f.path] === 'string' ? (values[f.path] as string) : '';
    let control;
    switch (f.kind) {
      case 'boolean':
        control = <input type="checkbox" {...common} checked={values[f.path] === true} onChange={(e) => set((e.target as HTMLInputElement).checked)} />;
        break;
      case 'enum':
        control = (
          <select {...common} value={text} onChange={(e) => set((e.target as HTMLSelectElement).value)}>
            {f.required ? null : <option value="">(not set)</option>}
            {f.options.map((o) => (
              <option value={o}>{o}</option>
            ))}
          </select>
        );
        break;
      case 'multiline':
      case 'json':
        control = (
          <textarea {...common} class={f.kind === 'json' || f.name === 'source' ? 'code' : undefined} rows={f.name === 'source' ? 14 : 4} spellcheck={false} value={text} onInput={(e) => set((e.target as HTMLTextAreaElement).value)} />
        );
        break;
      default:
        control = (
          <input
            {...common}
            type={f.kind === 'secret' ? 'password' : 'text'}
            inputMode={f.kind === 'integer' ? 'numeric' : undefined}
            autocomplete={f.kind === 'secret' ? 'new-password' : 'off'}
            required={f.required && !start}
            placeholder={f.kind === 'secret' && start ? '(unchanged)' : f.kind === 'list' ? 'comma-separated' : undefined}
            value={text}
            onInput={(e) => set((e.target as HTMLInputElement).value)}
          />
        );
    }
    return (
      <div class={`field ${f.kind === 'boolean' ? 'check' : ''} ${error ? 'has-error' : ''}`}>
        <label for={id}>
          {label(f.name)}
          {f.required ? <span aria-hidden="true"> *</span> : null}
        </label>
        {control}
        {error ? (
          <span class="field-error" id={errorId} role="alert">
            {error}
          </span>
        ) : null}
        {f.description ? (
          <span class="help" id={help}>
            {f.description}
          </span>
        ) : null}
      </div>
    );
  };

  const render = (fs: Field[]) =>
    fs.map((f) =>
      f.kind === 'object' ? (
        <fieldset>
          <legend>{label(f.name)}</legend>
          {f.description ? <p class="help">{f.description}</p> : null}
          {render(f.children)}
        </fieldset>
      ) : (
        input(f)
      ),
    );

  return (
    <form class="schema-form" onSubmit={submit} noValidate>
      <ErrorNote message={general} />
      {byField[''] ? <ErrorNote message={byField['']} /> : null}
      {render(fields)}
      <div class="actions">
        <button type="submit" disabled={busy}>
          {submitLabel}
        </button>
        {onCancel ? (
          <button type="button" class="secondary" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
