import { type Binding, type Extension, createExtension, deleteExtension, deleteRegistration, listExtensions, listRegistrations, updateExtension } from '@callplane/client';

import { ask, describe } from '../api';
import { useLoad, when } from '../parts/load';
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
      {data && data.length === 0 ? <p>No device is registered.</p> : null}
      {data && data.length > 0 ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Extension</th>
                <th scope="col">Contact</th>
                <th scope="col">From</th>
                <th scope="col">Device</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.map((b) => (
                <tr>
                  <td data-label="Extension">{b.aor}</td>
                  <td data-label="Contact" class="mono">
                    {b.contact}
                  </td>
                  <td data-label="From" class="mono">
                    {b.transport.toUpperCase()} {b.source}
                  </td>
                  <td data-label="Device">{b.user_agent ?? ''}</td>
                  <td data-label="Expires">{when(b.expires_at)}</td>
                  <td class="row-actions">
                    <button type="button" class="secondary" aria-label={`Unregister ${b.aor} at ${b.contact}`} onClick={() => void unregister(b)}>
                      Unregister
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
