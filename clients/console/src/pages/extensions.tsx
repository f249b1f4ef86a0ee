import { type Binding, type Extension, createExtension, deleteExtension, deleteRegistration, listExtensions, listRegistrations, updateExtension } from '@callplane/client';

import { ask, describe } from '../api';
import { useLoad, when } from '../parts/load';
import { DataTable } from '../parts/data_table';
import { ErrorNote } from '../parts/notice';
import { everything } from '../parts/paging';
import { ResourcePage } from '../parts/resource_page';

function Registrations() {
  const { data, error, reload } = useLoad(async () => (await ask(listRegistrations())).items, [], ['registration.']);
  const unregister = async (b: Binding) => {
    try {
      await ask(deleteRegistration({ path: { id: b.id } }));
      reload();
    } catch (e) {
      alert(describe(e));
    }
  };
  return (
    <section aria-labelledby="registrations-title">
      <h2 id="registrations-title">Registered devices</h2>
      <ErrorNote message={error} />
      {data ? (
        <DataTable
          items={data}
          empty="No device is registered."
          columns={[
            { title: 'Extension', value: (b) => b.aor },
            { title: 'Contact', value: (b) => b.contact, mono: true },
            { title: 'From', value: (b) => `${b.transport.toUpperCase()} ${b.source}`, mono: true },
            { title: 'Device', value: (b) => b.user_agent ?? '' },
            { title: 'Expires', value: (b) => when(b.expires_at) },
          ]}
          actions={(b) => (
            <button type="button" class="secondary" aria-label={`Unregister ${b.aor} at ${b.contact}`} onClick={() => void unregister(b)}>
              Unregister
            </button>
          )}
        />
      ) : null}
    </section>
  );
}

export function ExtensionsPage() {
  return (
    <ResourcePage<Extension>
      title="Extensions"
      noun="extension"
      createSchema="ExtensionCreate"
      patchSchema="ExtensionPatch"
      list={() => everything(async (cursor) => ask(listExtensions({ query: { limit: 500, cursor } })))}
      create={(body) => ask(createExtension({ body: body as never }))}
      update={(id, body) => ask(updateExtension({ path: { id }, body: body as never }))}
      remove={(id) => ask(deleteExtension({ path: { id } }))}
      name={(e) => e.number}
      columns={[
        { title: 'Number', value: (e) => e.number },
        { title: 'Name', value: (e) => e.display_name },
        { title: 'Enabled', value: (e) => (e.enabled ? 'yes' : 'no') },
        { title: 'Do not disturb', value: (e) => (e.do_not_disturb ? 'on' : 'off') },
        { title: 'Authentication', value: (e) => [e.has_password ? 'password' : '', e.ip_auth.length ? `IP ${e.ip_auth.join(', ')}` : ''].filter(Boolean).join(' + ') || 'none' },
      ]}
    >
      <Registrations />
    </ResourcePage>
  );
}
