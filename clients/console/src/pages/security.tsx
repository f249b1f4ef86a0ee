import { type BanView, type SecuritySettings, createBan, deleteBan, getSecurityCounters, getSecuritySettings, listBans, updateSecuritySettings } from '@callplane/client';
import { useState } from 'preact/hooks';

import { ask, describe } from '../api';
import { useLoad, when } from '../parts/load';
import { DataTable } from '../parts/data_table';
import { ErrorNote, InfoNote } from '../parts/notice';
import { SchemaForm } from '../parts/schema_form';

function Bans() {
  const { data, error, reload } = useLoad(() => ask(listBans()), [], ['security.']);
  const [note, setNote] = useState<string | undefined>(undefined);
  const lift = async (b: BanView) => {
    try {
      await ask(deleteBan({ path: { ip: b.ip } }));
      setNote(`Lifted the ban on ${b.ip}.`);
      reload();
    } catch (e) {
      setNote(describe(e));
    }
  };
  return (
    <section aria-labelledby="bans-title">
      <h2 id="bans-title">Banned addresses</h2>
      {note ? <InfoNote>{note}</InfoNote> : null}
      <ErrorNote message={error} />
      {data ? (
        <DataTable
          items={data}
          empty="Nobody is banned."
          columns={[
            { title: 'Address', value: (b) => b.ip, mono: true },
            { title: 'Why', value: (b) => b.reason },
            { title: 'Since', value: (b) => when(b.created_at) },
            { title: 'Until', value: (b) => when(b.until) },
          ]}
          actions={(b) => (
            <button type="button" class="secondary" aria-label={`Lift the ban on ${b.ip}`} onClick={() => void lift(b)}>
              Lift ban
            </button>
          )}
        />
      ) : null}
      <details>
        <summary>Ban an address by hand</summary>
        <SchemaForm
          schema="BanCreate"
          idPrefix="ban"
          submitLabel="Ban"
          onSubmit={async (body) => {
            await ask(createBan({ body: body as never }));
            reload();
          }}
        />
      </details>
    </section>
  );
}

function Counters() {
  const { data, error } = useLoad(() => ask(getSecurityCounters()), [], ['security.']);
  return (
    <section aria-labelledby="counters-title">
      <h2 id="counters-title">Since start</h2>
      <ErrorNote message={error} />
      {data ? (
        <dl class="tiles">
          <div>
            <dt>Dropped from banned addresses</dt>
            <dd>{data.dropped_banned}</dd>
          </div>
          <div>
            <dt>Dropped over the rate limit</dt>
            <dd>{data.dropped_rate_limited}</dd>
          </div>
          <div>
            <dt>Dropped scanners</dt>
            <dd>{data.dropped_scanner}</dd>
          </div>
          <div>
            <dt>Bans added</dt>
            <dd>{data.bans_added}</dd>
          </div>
          <div>
            <dt>Failed authentications</dt>
            <dd>{data.auth_failures_total}</dd>
          </div>
        </dl>
      ) : null}
    </section>
  );
}

export function SecurityPage() {
  const settings = useLoad(() => ask(getSecuritySettings()), []);
  const [saved, setSaved] = useState<string | undefined>(undefined);
  return (
    <section aria-labelledby="security-title">
      <h1 id="security-title">Security</h1>
      <Counters />
      <Bans />
      <section aria-labelledby="settings-title" class="panel">
        <h2 id="settings-title">Settings</h2>
        {saved ? <InfoNote>{saved}</InfoNote> : null}
        <ErrorNote message={settings.error} />
        {settings.data ? (
          <SchemaForm
            schema="SecuritySettingsPatch"
            idPrefix="security"
            initial={settings.data as SecuritySettings as unknown as Record<string, unknown>}
            submitLabel="Save settings"
            onSubmit={async (body) => {
              await ask(updateSecuritySettings({ body: body as never }));
              setSaved('Settings saved.');
              settings.reload();
            }}
          />
        ) : null}
      </section>
    </section>
  );
}
