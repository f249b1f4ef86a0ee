// Forms are described by the server's own OpenAPI document (/openapi.json), read once: the
// fields of a request schema, their types, defaults, enums and documentation. A field the
// API gains shows up in the console without a console release.

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type SchemaObject = { [k: string]: Json };

let document: Promise<SchemaObject> | undefined;

export function loadDocument(): Promise<SchemaObject> {
  document ??= fetch('/openapi.json', { headers: { accept: 'application/json' } }).then((r) => {
    if (!r.ok) {
      throw new Error(`cannot read /openapi.json: HTTP ${r.status}`);
    }
    return r.json() as Promise<SchemaObject>;
  });
  return document;
}

export type FieldKind = 'text' | 'secret' | 'multiline' | 'integer' | 'number' | 'boolean' | 'enum' | 'list' | 'object' | 'json';

export type Field = {
  /** Dotted path in the request body, also the name in a 422's field errors. */
  path: string;
  name: string;
  kind: FieldKind;
  required: boolean;
  description: string;
  options: string[];
  /** The list items are integers (kind `list`). */
  integers: boolean;
  defaultValue: Json | undefined;
  children: Field[];
};

function asObject(v: Json | undefined): SchemaObject | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
}

/** Follows `$ref` and the single-entry `allOf` poem-openapi emits for defaulted enums. */
function deref(doc: SchemaObject, s: SchemaObject): SchemaObject {
  let current = s;
  for (let hops = 0; hops < 8; hops++) {
    const ref = current['$ref'];
    const allOf = current['allOf'];
    if (typeof ref === 'string') {
      const name = ref.replace('#/components/schemas/', '');
      current = { ...asObject(asObject(asObject(doc['components'])?.['schemas'])?.[name]), ...withoutRef(current) };
    } else if (Array.isArray(allOf) && allOf.length === 1 && asObject(allOf[0])) {
      const { allOf: _drop, ...rest } = current;
      current = { ...(asObject(allOf[0]) ?? {}), ...rest };
    } else {
      return current;
    }
  }
  return current;
}

function withoutRef(s: SchemaObject): SchemaObject {
  const { $ref: _drop, ...rest } = s;
  return rest;
}

const MULTILINE = new Set(['source', 'script', 'description_long']);

function fieldOf(doc: SchemaObject, name: string, raw: SchemaObject, required: boolean, prefix: string, depth: number): Field {
  const s = deref(doc, raw);
  const path = prefix ? `${prefix}.${name}` : name;
  const description = typeof raw['description'] === 'string' ? raw['description'] : typeof s['description'] === 'string' ? s['description'] : '';
  const base: Field = { path, name, kind: 'json', required, description, options: [], integers: false, defaultValue: raw['default'] ?? s['default'], children: [] };
  const type = s['type'];
  if (Array.isArray(s['enum'])) {
    return { ...base, kind: 'enum', options: s['enum'].map(String) };
  }
  if (type === 'boolean') {
    return { ...base, kind: 'boolean' };
  }
  if (type === 'integer') {
    return { ...base, kind: 'integer' };
  }
  if (type === 'number') {
    return { ...base, kind: 'number' };
  }
  if (type === 'string') {
    const secret = s['writeOnly'] === true || raw['writeOnly'] === true;
    return { ...base, kind: secret ? 'secret' : MULTILINE.has(name) ? 'multiline' : 'text' };
  }
  if (type === 'array') {
    const items = deref(doc, asObject(s['items']) ?? {});
    if (items['type'] === 'string' || items['type'] === 'integer') {
      return { ...base, kind: 'list', integers: items['type'] === 'integer' };
    }
    return base;
  }
  const properties = asObject(s['properties']);
  if ((type === 'object' || properties) && properties && depth < 3 && !s['oneOf'] && !s['anyOf']) {
    const needed = new Set(Array.isArray(s['required']) ? s['required'].map(String) : []);
    const children = Object.entries(properties)
      .filter(([, p]) => asObject(p)?.['readOnly'] !== true)
      .map(([n, p]) => fieldOf(doc, n, asObject(p) ?? {}, needed.has(n), path, depth + 1));
    return { ...base, kind: 'object', children };
  }
  return base;
}

/** The fields of a component schema (`ExtensionCreate`), in the document's order. */
export async function fieldsOf(schema: string): Promise<Field[]> {
  const doc = await loadDocument();
  const s = deref(doc, { $ref: `#/components/schemas/${schema}` });
  const needed = new Set(Array.isArray(s['required']) ? s['required'].map(String) : []);
  const properties = asObject(s['properties']) ?? {};
  return Object.entries(properties)
    .filter(([, p]) => asObject(p)?.['readOnly'] !== true)
    .map(([n, p]) => fieldOf(doc, n, asObject(p) ?? {}, needed.has(n), '', 0));
}

/** Values in a form: text for inputs, booleans for checkboxes, keyed by field path. */
export type FormValues = Record<string, string | boolean>;

function flatten(fields: Field[], value: Record<string, unknown> | undefined, out: FormValues): void {
  for (const f of fields) {
    const v = value?.[f.name] ?? (f.kind === 'object' ? undefined : f.defaultValue);
    if (f.kind === 'object') {
      flatten(f.children, (v as Record<string, unknown> | undefined) ?? undefined, out);
    } else if (f.kind === 'boolean') {
      out[f.path] = v === true;
    } else if (f.kind === 'secret') {
      out[f.path] = '';
    } else if (f.kind === 'list') {
      out[f.path] = Array.isArray(v) ? v.join(', ') : '';
    } else if (f.kind === 'json') {
      out[f.path] = v === undefined || v === null ? '' : JSON.stringify(v, null, 2);
    } else {
      out[f.path] = v === undefined || v === null ? '' : String(v);
    }
  }
}

/** The form's values for `value` (an existing resource) or the schema's defaults. */
export function formValues(fields: Field[], value?: Record<string, unknown>): FormValues {
  const out: FormValues = {};
  flatten(fields, value, out);
  return out;
}

export class FormProblem extends Error {
  constructor(readonly fields: Record<string, string>) {
    super('Some fields need a change');
  }
}

function valueOf(f: Field, raw: string | boolean | undefined, errors: Record<string, string>): unknown {
  if (f.kind === 'boolean') {
    return raw === true;
  }
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (text === '') {
    return undefined;
  }
  switch (f.kind) {
    case 'integer':
    case 'number': {
      const n = Number(text);
      if (!Number.isFinite(n) || (f.kind === 'integer' && !Number.isInteger(n))) {
        errors[f.path] = f.kind === 'integer' ? 'must be a whole number' : 'must be a number';
        return undefined;
      }
      return n;
    }
    case 'list': {
      const items = text.split(/[\s,]+/).filter((x) => x !== '');
      if (!f.integers) {
        return items;
      }
      const numbers = items.map(Number);
      if (numbers.some((n) => !Number.isInteger(n))) {
        errors[f.path] = 'must be whole numbers separated by commas';
        return undefined;
      }
      return numbers;
    }
    case 'json':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        errors[f.path] = 'must be JSON';
        return undefined;
      }
    default:
      return typeof raw === 'string' ? raw : undefined;
  }
}

function changed(fields: Field[], values: FormValues, initial: FormValues): boolean {
  return fields.some((f) => (f.kind === 'object' ? changed(f.children, values, initial) : values[f.path] !== initial[f.path]));
}

function build(fields: Field[], values: FormValues, initial: FormValues | undefined, defaults: FormValues, errors: Record<string, string>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.kind === 'object') {
      // A nested object is replaced as a whole: sent complete when any part of it changed
      // (on create: when it is required or any part differs from its defaults, so an
      // optional part such as a voicemail box is not created by its defaults alone).
      if (initial ? !changed(f.children, values, initial) : !f.required && !changed(f.children, values, defaults)) {
        continue;
      }
      const inner = build(f.children, values, undefined, defaults, errors);
      if (Object.keys(inner).length > 0) {
        body[f.name] = inner;
      }
      continue;
    }
    const raw = values[f.path];
    // Editing sends only what changed (a PATCH), and a secret only when one is typed.
    if (initial && raw === initial[f.path]) {
      continue;
    }
    const v = valueOf(f, raw, errors);
    if (v === undefined) {
      if (f.required && !errors[f.path]) {
        errors[f.path] = 'is required';
      }
      if (initial && typeof raw === 'string' && raw.trim() === '') {
        // Cleared: null where the API documents it as removing the value, else empty text.
        if (f.description.includes('`null`')) {
          body[f.name] = null;
        } else if (f.kind === 'text' || f.kind === 'multiline') {
          body[f.name] = '';
        } else if (f.kind === 'list') {
          body[f.name] = [];
        }
      }
      continue;
    }
    body[f.name] = v;
  }
  return body;
}

/**
 * The request body for `values`: every filled field on create; only the changed ones when
 * `initial` is given (an edit); cleared optional fields as null. Throws FormProblem for
 * values that cannot be sent at all (text in a number field).
 */
export function bodyOf(fields: Field[], values: FormValues, initial?: FormValues): Record<string, unknown> {
  const errors: Record<string, string> = {};
  const body = build(fields, values, initial, formValues(fields), errors);
  if (Object.keys(errors).length > 0) {
    throw new FormProblem(errors);
  }
  return body;
}

const ACRONYMS: Record<string, string> = { ip: 'IP', mwi: 'MWI', sip: 'SIP', uri: 'URI', url: 'URL', id: 'ID', tcp: 'TCP', tls: 'TLS', dtmf: 'DTMF', s: '(s)', ms: '(ms)', smtp: 'SMTP', '100rel': '100rel' };

/** "max_contacts" → "Max contacts", "ip_auth" → "IP auth", "timeout_s" → "Timeout (s)". */
export function label(name: string): string {
  const words = name.replace(/_per_s$/, '_per_second').split('_').map((w, i) => ACRONYMS[w] ?? (i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w));
  return words.join(' ');
}
