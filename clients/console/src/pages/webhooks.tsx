import { type Delivery, type Webhook, createWebhook, deleteWebhook, listWebhookDeliveries, listWebhooks, redeliverWebhookDelivery, testWebhook, updateWebhook } from '@callplane/client';
import { useState } from 'preact/hooks';

import { ask, describe } from '../api';
import { useLoad, when } from '../parts/load';
import { DataTable } from '../parts/data_table';
import { ErrorNote, InfoNote } from '../parts/notice';
import { everything } from '../parts/paging';
import { ResourcePage } from '../parts/resource_page';

function Deliveries({ hook, onClose }: { hook: Webhook; onClose: () => void }) {
  const { data, error, reload } = useLoad(async () => (await ask(listWebhookDeliveries({ path: { id: hook.id }, query: { limit: 100 } }))).items, [hook.id], ['webhook.']);
  const [note, setNote] = useState<string | undefined>(undefined);
  const redeliver = async (d: Delivery) => {
    try {
      await ask(redeliverWebhookDelivery({ path: { id: hook.id, delivery_id: d.id } }));
      setNote(`Delivery of event ${d.seq} queued again.`);
      reload();
    } catch (e) {
      setNote(describe(e));
    }
  };
  return (
    <section class="panel" aria-labelledby="deliveries-title">
      <div class="page-head">
        <h2 id="deliveries-title">Deliveries to {hook.url}</h2>
        <button type="button" class="secondary" onClick={onClose}>
          Close
        </button>
      </div>
      {note ? <InfoNote>{note}</InfoNote> : null}
      <ErrorNote message={error} />
      {data ? (
        <DataTable
          items={data}
          empty="Nothing delivered yet."
          columns={[
            { title: 'Event', value: (d) => `${d.seq} ${d.event_type}` },
            { title: 'State', value: (d) => d.state },
            { title: 'Attempts', value: (d) => d.attempts },
            { title: 'Last answer', value: (d) => `${d.last_status ?? ''} ${d.last_error ?? ''} ${d.last_latency_ms !== undefined ? `${d.last_latency_ms} ms` : ''}` },
            { title: 'Next attempt', value: (d) => (d.state === 'delivered' ? '' : when(d.next_attempt_at)) },
          ]}
          actions={(d) => (
            <button type="button" class="secondary" aria-label={`Redeliver event ${d.seq}`} onClick={() => void redeliver(d)}>
              Redeliver
            </button>
          )}
        />
      ) : null}
    </section>
  );
}

export function WebhooksPage() {
  const [open, setOpen] = useState<Webhook | undefined>(undefined);
  const test = async (w: Webhook) => {
    try {
      await ask(testWebhook({ path: { id: w.id } }));
      setOpen(w);
    } catch (e) {
      alert(describe(e));
    }
  };
  return (
    <ResourcePage<Webhook>
      title="Webhooks"
      noun="webhook"
      createSchema="WebhookCreate"
      patchSchema="WebhookPatch"
      list={() => everything(async (cursor) => ask(listWebhooks({ query: { limit: 500, cursor } })))}
      create={(body) => ask(createWebhook({ body: body as never }))}
      created={(w) => {
        const secret = (w as Webhook).generated_secret;
        return secret ? `Created. Its signing secret, shown this once: ${secret}` : 'Created webhook.';
      }}
      update={(id, body) => ask(updateWebhook({ path: { id }, body: body as never }))}
      remove={(id) => ask(deleteWebhook({ path: { id } }))}
      name={(w) => w.url}
      refreshOn={['webhook.']}
      columns={[
        { title: 'URL', value: (w) => <span class="mono">{w.url}</span> },
        { title: 'Description', value: (w) => w.description },
        { title: 'Events', value: (w) => w.event_types.join(', ') },
        { title: 'Enabled', value: (w) => (w.enabled ? 'yes' : 'no') },
      ]}
      rowActions={(w) => (
        <>
          <button type="button" class="secondary" aria-label={`Deliveries of ${w.url}`} onClick={() => setOpen(w)}>
            Deliveries
          </button>
          <button type="button" class="secondary" aria-label={`Send a test event to ${w.url}`} onClick={() => void test(w)}>
            Test
          </button>
        </>
      )}
    >
      {open ? <Deliveries hook={open} onClose={() => setOpen(undefined)} /> : null}
    </ResourcePage>
  );
}
