import { type Route, type RouteResolution, createRoute, deleteRoute, listRoutes, resolveRoute, updateRoute } from '@callplane/client';
import { useState } from 'preact/hooks';

import { ask, describe } from '../api';
import { ErrorNote } from '../parts/notice';
import { everything } from '../parts/paging';
import { ResourcePage } from '../parts/resource_page';

/** Which way a number goes, asked of the server's dial plan (GET /routes/resolve). */
function ResolveTester() {
  const [number, setNumber] = useState('');
  const [result, setResult] = useState<RouteResolution | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    try {
      setResult(await ask(resolveRoute({ query: { number: number.trim() } })));
      setError(undefined);
    } catch (e) {
      setResult(undefined);
      setError(describe(e));
    }
  };
  return (
    <section aria-labelledby="resolve-title" class="panel">
      <h2 id="resolve-title">Where does a number go?</h2>
      <form class="inline" onSubmit={submit}>
        <div class="field">
          <label for="resolve-number">Number</label>
          <input id="resolve-number" inputMode="tel" autocomplete="off" value={number} onInput={(e) => setNumber((e.target as HTMLInputElement).value)} />
        </div>
        <button type="submit">Resolve</button>
      </form>
      <ErrorNote message={error} />
      {result ? (
        <dl class="facts" aria-live="polite">
          <dt>Outcome</dt>
          <dd>{result.explanation}</dd>
          {result.target ? (
            <>
              <dt>Target</dt>
              <dd>
                {result.target.kind} {result.target.label}
                {result.target.enabled ? '' : ' (disabled)'}
              </dd>
            </>
          ) : null}
          {result.dialed_number ? (
            <>
              <dt>Number sent</dt>
              <dd>{result.dialed_number}</dd>
            </>
          ) : null}
          {result.route ? (
            <>
              <dt>Route</dt>
              <dd>
                {result.route.name || result.route.prefix} (prefix {result.route.prefix}, priority {result.route.priority})
              </dd>
            </>
          ) : null}
        </dl>
      ) : null}
    </section>
  );
}

export function RoutesPage() {
  return (
    <ResourcePage<Route>
      title="Routes"
      noun="route"
      createSchema="RouteCreate"
      patchSchema="RoutePatch"
      list={() => everything(async (cursor) => ask(listRoutes({ query: { limit: 500, cursor } })))}
      create={(body) => ask(createRoute({ body: body as never }))}
      update={(id, body) => ask(updateRoute({ path: { id }, body: body as never }))}
      remove={(id) => ask(deleteRoute({ path: { id } }))}
      name={(r) => r.name || r.prefix}
      columns={[
        { title: 'Prefix', value: (r) => r.prefix },
        { title: 'Name', value: (r) => r.name },
        { title: 'Priority', value: (r) => r.priority },
        { title: 'Rewrite', value: (r) => `strip ${r.strip}${r.prepend ? `, prepend ${r.prepend}` : ''}` },
        { title: 'Target', value: (r) => `${r.target.kind} ${r.target.id}` },
        { title: 'Enabled', value: (r) => (r.enabled ? 'yes' : 'no') },
      ]}
    >
      <ResolveTester />
    </ResourcePage>
  );
}
