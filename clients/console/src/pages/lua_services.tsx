import { type LuaService, createLuaService, deleteLuaService, getLuaServiceStats, listBuiltinLuaServices, listLuaServices, updateLuaService } from '@callplane/client';

import { ask } from '../api';
import { useLoad } from '../parts/load';
import { everything } from '../parts/paging';
import { ResourcePage } from '../parts/resource_page';

type ServiceRow = LuaService & { invocations?: number; failures?: number; last_error?: string };

async function servicesWithStats(): Promise<ServiceRow[]> {
  const services = await everything(async (cursor) => ask(listLuaServices({ query: { limit: 500, cursor } })));
  return Promise.all(
    services.map(async (s) => {
      const stats = await ask(getLuaServiceStats({ path: { id: s.id } })).catch(() => undefined);
      return { ...s, ...stats };
    }),
  );
}

function Builtins() {
  const { data } = useLoad(() => ask(listBuiltinLuaServices()), []);
  if (!data || data.length === 0) {
    return null;
  }
  return (
    <section class="panel" aria-labelledby="builtin-title">
      <h2 id="builtin-title">Services from files</h2>
      <p>Loaded from the service directory at start; read-only here.</p>
      {data.map((s) => (
        <details>
          <summary>
            {s.name} <span class="muted">{s.description}</span>
          </summary>
          <pre class="code">{s.source}</pre>
        </details>
      ))}
    </section>
  );
}

export function LuaServicesPage() {
  return (
    <ResourcePage<ServiceRow>
      title="Lua services"
      noun="Lua service"
      createSchema="LuaServiceCreate"
      patchSchema="LuaServicePatch"
      list={servicesWithStats}
      refreshOn={['service.']}
      overrides={{ source: { kind: 'multiline' } }}
      create={(body) => ask(createLuaService({ body: body as never }))}
      update={(id, body) => ask(updateLuaService({ path: { id }, body: body as never }))}
      remove={(id) => ask(deleteLuaService({ path: { id } }))}
      name={(s) => s.name}
      columns={[
        { title: 'Name', value: (s) => s.name },
        { title: 'Description', value: (s) => s.description },
        { title: 'Enabled', value: (s) => (s.enabled ? 'yes' : 'no') },
        { title: 'Runs', value: (s) => s.invocations ?? '' },
        { title: 'Failures', value: (s) => (s.failures ? <span class="bad-text">{s.failures}</span> : (s.failures ?? '')) },
        { title: 'Last error', value: (s) => <span class="mono">{s.last_error ?? ''}</span> },
      ]}
    >
      <p class="help">The server checks a service's source when it is saved: a syntax error comes back next to the source with its line.</p>
      <Builtins />
    </ResourcePage>
  );
}
