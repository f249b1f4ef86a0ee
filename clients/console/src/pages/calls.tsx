import { type CallView, hangupCall, listCalls, transferCall } from '@callplane/client';
import { useEffect, useState } from 'preact/hooks';

import { ask, describe } from '../api';
import { useLoad, when } from '../parts/load';
import { DataTable } from '../parts/data_table';
import { ErrorNote, InfoNote } from '../parts/notice';

function since(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function Transfer({ call, onDone }: { call: CallView; onDone: (note: string) => void }) {
  const [to, setTo] = useState('');
  const [party, setParty] = useState<'caller' | 'callee'>('caller');
  const [error, setError] = useState<string | undefined>(undefined);
  const id = `transfer-${call.id}`;
  const submit = async (ev: Event) => {
    ev.preventDefault();
    try {
      await ask(transferCall({ path: { id: call.id }, body: { party, to: to.trim() } }));
      onDone(`Transferring the ${party} of ${call.caller} → ${call.dialed} to ${to.trim()}.`);
    } catch (e) {
      setError(describe(e));
    }
  };
  return (
    <form class="inline" onSubmit={submit}>
      <ErrorNote message={error} />
      <div class="field">
        <label for={`${id}-party`}>Who stays</label>
        <select id={`${id}-party`} value={party} onChange={(e) => setParty((e.target as HTMLSelectElement).value as 'caller' | 'callee')}>
          <option value="caller">caller ({call.caller})</option>
          <option value="callee">callee</option>
        </select>
      </div>
      <div class="field">
        <label for={`${id}-to`}>Transfer to</label>
        <input id={`${id}-to`} inputMode="tel" autocomplete="off" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
      </div>
      <button type="submit">Transfer</button>
    </form>
  );
}

export function CallsPage() {
  const { data, error, reload } = useLoad(() => ask(listCalls()), [], ['call.', 'cdr.']);
  const [now, setNow] = useState(Date.now());
  const [note, setNote] = useState<string | undefined>(undefined);
  const [transferring, setTransferring] = useState<string | undefined>(undefined);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const hangUp = async (c: CallView) => {
    try {
      await ask(hangupCall({ path: { id: c.id } }));
      setNote(`Hung up ${c.caller} → ${c.dialed}.`);
      reload();
    } catch (e) {
      setNote(describe(e));
    }
  };
  return (
    <section aria-labelledby="calls-title">
      <h1 id="calls-title">Live calls</h1>
      {note ? <InfoNote>{note}</InfoNote> : null}
      <ErrorNote message={error} />
      {data?.unreachable_nodes?.length ? <ErrorNote message={`Not shown: calls on ${data.unreachable_nodes.join(', ')} (no answer)`} /> : null}
      {data ? (
        <DataTable
          items={data.items}
          empty="Nobody is on the phone."
          rowId={(c) => c.id}
          columns={[
            { title: 'Caller', value: (c) => c.caller },
            { title: 'Dialed', value: (c) => c.dialed },
            { title: 'State', value: (c) => <span class={`badge ${c.state === 'answered' ? 'good' : 'neutral'}`}>{c.state}</span> },
            { title: 'Legs', value: (c) => c.legs.map((l) => `${l.role} ${l.number} (${l.state})`).join(', ') },
            { title: 'Started', value: (c) => when(c.started_at) },
            { title: 'Duration', value: (c) => since(c.answered_at ?? c.started_at, now) },
          ]}
          actions={(c) => (
            <>
              {c.state === 'answered' ? (
                <button type="button" class="secondary" aria-expanded={transferring === c.id} aria-label={`Transfer the call from ${c.caller} to ${c.dialed}`} onClick={() => setTransferring(transferring === c.id ? undefined : c.id)}>
                  Transfer
                </button>
              ) : null}
              <button type="button" class="danger" aria-label={`Hang up the call from ${c.caller} to ${c.dialed}`} onClick={() => void hangUp(c)}>
                Hang up
              </button>
            </>
          )}
          below={(c) =>
            transferring === c.id ? (
              <Transfer
                call={c}
                onDone={(n) => {
                  setNote(n);
                  setTransferring(undefined);
                  reload();
                }}
              />
            ) : null
          }
        />
      ) : null}
    </section>
  );
}
