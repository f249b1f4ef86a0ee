import { type Cdr, type Disposition, listCdrs } from '@callplane/client';
import { useEffect, useState } from 'preact/hooks';

import { ApiError, ask, describe } from '../api';
import { when } from '../parts/load';
import { ErrorNote } from '../parts/notice';

type Filters = { from: string; to: string; number: string; disposition: '' | Disposition };

const DISPOSITIONS: Disposition[] = ['answered', 'busy', 'no_answer', 'cancelled', 'failed'];

/** A datetime-local value ("2026-12-02T06:00") as RFC 3339 in UTC, or undefined. */
function instant(local: string): string | undefined {
  if (!local) {
    return undefined;
  }
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function query(f: Filters) {
  return {
    from: instant(f.from),
    to: instant(f.to),
    number: f.number.trim() || undefined,
    disposition: f.disposition || undefined,
  };
}

export function CdrsPage() {
  const [filters, setFilters] = useState<Filters>({ from: '', to: '', number: '', disposition: '' });
  const [applied, setApplied] = useState<Filters>(filters);
  const [items, setItems] = useState<Cdr[]>([]);
  const [total, setTotal] = useState<number | undefined>(undefined);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);

  const load = async (f: Filters, after: string | undefined) => {
    try {
      const page = await ask(listCdrs({ query: { ...query(f), limit: 100, cursor: after } }));
      setItems((old) => (after ? [...old, ...page.items] : page.items));
      setTotal(page.total);
      setCursor(page.next_cursor);
      setError(undefined);
    } catch (e) {
      setError(describe(e));
    }
  };
  useEffect(() => {
    void load(applied, undefined);
  }, [applied]);

  /** Every CDR the filters match, as the server's CSV, 500 a page (the JSON page of the
   *  same cursor tells where the next one starts). */
  const exportCsv = async () => {
    try {
      const q = query(applied);
      let csv = '';
      let after: string | undefined;
      for (let n = 0; n < 200; n++) {
        const answer = await listCdrs({ query: { ...q, limit: 500, cursor: after }, headers: { accept: 'text/csv' }, parseAs: 'text' });
        const status = answer.response?.status ?? 0;
        // Typed as the JSON page; with parseAs 'text' it is the CSV text.
        const text: unknown = answer.data;
        if (status !== 200 || typeof text !== 'string') {
          throw new ApiError(status, undefined);
        }
        csv += n === 0 ? text : text.slice(text.indexOf('\n') + 1);
        const page = await ask(listCdrs({ query: { ...q, limit: 500, cursor: after } }));
        if (!page.next_cursor) {
          break;
        }
        after = page.next_cursor;
      }
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `callplane-cdrs-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.csv`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(describe(e));
    }
  };

  const set = (k: keyof Filters) => (e: Event) => setFilters({ ...filters, [k]: (e.target as HTMLInputElement).value });

  return (
    <section aria-labelledby="cdrs-title">
      <h1 id="cdrs-title">Call history</h1>
      <form
        class="inline filters"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied({ ...filters });
        }}
      >
        <div class="field">
          <label for="cdr-from">From</label>
          <input id="cdr-from" type="datetime-local" value={filters.from} onInput={set('from')} />
        </div>
        <div class="field">
          <label for="cdr-to">Until</label>
          <input id="cdr-to" type="datetime-local" value={filters.to} onInput={set('to')} />
        </div>
        <div class="field">
          <label for="cdr-number">Number</label>
          <input id="cdr-number" inputMode="tel" autocomplete="off" value={filters.number} onInput={set('number')} />
        </div>
        <div class="field">
          <label for="cdr-disposition">Outcome</label>
          <select id="cdr-disposition" value={filters.disposition} onChange={set('disposition')}>
            <option value="">any</option>
            {DISPOSITIONS.map((d) => (
              <option value={d}>{d}</option>
            ))}
          </select>
        </div>
        <button type="submit">Show</button>
        <button type="button" class="secondary" onClick={() => void exportCsv()}>
          Download CSV
        </button>
      </form>
      <ErrorNote message={error} />
      {total !== undefined ? (
        <p role="status">
          {total} call{total === 1 ? '' : 's'}
        </p>
      ) : null}
      {items.length > 0 ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Caller</th>
                <th scope="col">Dialed</th>
                <th scope="col">Answered by</th>
                <th scope="col">Outcome</th>
                <th scope="col">Duration</th>
                <th scope="col">Ended by</th>
                <th scope="col">Trunk</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr data-id={c.id}>
                  <td data-label="Started">{when(c.started_at)}</td>
                  <td data-label="Caller">{c.caller}</td>
                  <td data-label="Dialed">{c.dialed}</td>
                  <td data-label="Answered by">{c.final_callee ?? ''}</td>
                  <td data-label="Outcome">
                    {c.disposition} ({c.final_code})
                  </td>
                  <td data-label="Duration">{c.duration_s} s</td>
                  <td data-label="Ended by">
                    {c.hangup_side}
                    {c.hangup_reason ? ` (${c.hangup_reason})` : ''}
                  </td>
                  <td data-label="Trunk">{c.trunk ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {cursor ? (
        <button type="button" class="secondary" onClick={() => void load(applied, cursor)}>
          Show more
        </button>
      ) : null}
    </section>
  );
}
