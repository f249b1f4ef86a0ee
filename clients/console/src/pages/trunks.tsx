import { type Trunk, type TrunkStatus, createTrunk, deleteTrunk, getTrunkStatus, listTrunks, updateTrunk } from '@callplane/client';

import { ask } from '../api';
import { useLoad, when } from '../parts/load';
import { everything } from '../parts/paging';
import { ResourcePage } from '../parts/resource_page';
import { fieldsOf, label } from '../schema';

type TrunkRow = Trunk & { status?: TrunkStatus };

async function trunksWithStatus(): Promise<TrunkRow[]> {
  const trunks = await everything(async (cursor) => ask(listTrunks({ query: { limit: 500, cursor } })));
  return Promise.all(trunks.map(async (t) => ({ ...t, status: await ask(getTrunkStatus({ path: { id: t.id } })).catch(() => undefined) })));
}

export function StateBadge({ state }: { state: string }) {
  const tone = ['registered', 'up'].includes(state) ? 'good' : ['failed', 'down'].includes(state) ? 'bad' : 'neutral';
  return <span class={`badge ${tone}`}>{state}</span>;
}

/** Every quirk with its documentation, from the API's own document. */
function QuirksReference() {
  const { data } = useLoad(() => fieldsOf('TrunkQuirks'), []);
  return (
    <section aria-labelledby="quirks-title" class="panel">
      <h2 id="quirks-title">Interoperability quirks</h2>
      <p>Each trunk sets these under “Quirks” when its carrier needs them.</p>
      <dl class="facts">
        {(data ?? []).map((f) => (
          <>
            <dt>
              {label(f.name)} <code>{f.name}</code>
              {f.defaultValue !== undefined ? <span class="muted"> (default {JSON.stringify(f.defaultValue)})</span> : null}
            </dt>
            <dd>{f.description}</dd>
          </>
        ))}
      </dl>
    </section>
  );
}

export function TrunksPage() {
  return (
    <ResourcePage<TrunkRow>
      title="Trunks"
      noun="trunk"
      createSchema="TrunkCreate"
      patchSchema="TrunkPatch"
      list={trunksWithStatus}
      refreshOn={['trunk.status_changed']}
      create={(body) => ask(createTrunk({ body: body as never }))}
      update={(id, body) => ask(updateTrunk({ path: { id }, body: body as never }))}
      remove={(id) => ask(deleteTrunk({ path: { id } }))}
      name={(t) => t.name}
      columns={[
        { title: 'Name', value: (t) => t.name },
        { title: 'Carrier', value: (t) => `${t.host}${t.port ? `:${t.port}` : ''}${t.transport ? ` (${t.transport})` : ''}` },
        { title: 'Status', value: (t) => (t.status ? <StateBadge state={t.status.state} /> : '') },
        {
          title: 'Carrier says',
          value: (t) =>
            t.status ? (
              <>
                {t.status.last_response ?? ''}
                {t.status.target_note ? <span class="muted"> {t.status.target_note}</span> : null}
                {t.status.registered_until ? <span class="muted"> until {when(t.status.registered_until)}</span> : null}
                {t.status.next_attempt_at && !t.status.registered_until ? <span class="muted"> next try {when(t.status.next_attempt_at)}</span> : null}
              </>
            ) : (
              ''
            ),
        },
        { title: 'Enabled', value: (t) => (t.enabled ? 'yes' : 'no') },
      ]}
    >
      <QuirksReference />
    </ResourcePage>
  );
}
