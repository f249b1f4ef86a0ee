import { getStatus, getTrunkStatus, listCalls, listCdrs, listRegistrations, listTrunks } from '@callplane/client';
import { useEffect, useState } from 'preact/hooks';

import { ask } from '../api';
import { type LiveEvent, subscribe } from '../events';
import { useLoad, when } from '../parts/load';
import { ErrorNote } from '../parts/notice';
import { StateBadge } from './trunks';

async function overview() {
  const hourAgo = new Date(Date.now() - 3600_000).toISOString();
  const [status, registrations, calls, lastHour, trunks] = await Promise.all([
    ask(getStatus()),
    ask(listRegistrations()),
    ask(listCalls()),
    ask(listCdrs({ query: { from: hourAgo, limit: 1 } })),
    ask(listTrunks({ query: { limit: 500 } })),
  ]);
  const states = await Promise.all(trunks.items.map((t) => ask(getTrunkStatus({ path: { id: t.id } })).catch(() => undefined)));
  return { status, registrations: registrations.total, calls: calls.total, lastHour: lastHour.total, trunks: trunks.items.map((t, i) => ({ trunk: t, status: states[i] })) };
}

/** One line about an event, for the feed. */
function summary(e: LiveEvent): string {
  const d = e.data;
  const s = (k: string) => (typeof d[k] === 'string' || typeof d[k] === 'number' ? String(d[k]) : '');
  if (e.type.startsWith('call.')) {
    return [s('caller'), s('dialed') || s('callee')].filter(Boolean).join(' → ');
  }
  if (e.type.startsWith('registration.')) {
    return `${s('aor')} ${s('contact')}`;
  }
  if (e.type.startsWith('trunk.')) {
    return `${s('name')} ${s('state')} ${s('last_response')}`;
  }
  if (e.type.startsWith('security.')) {
    return `${s('ip')} ${s('reason')}`;
  }
  if (e.type === 'config.changed') {
    return `${s('resource')} ${s('action')}`;
  }
  return '';
}

export function DashboardPage() {
  const { data, error } = useLoad(overview, [], ['call.', 'cdr.', 'registration.', 'trunk.', 'config.changed']);
  const [feed, setFeed] = useState<LiveEvent[]>([]);
  useEffect(() => subscribe([], (e) => setFeed((old) => [e, ...old].slice(0, 20))), []);
  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">Dashboard</h1>
      <ErrorNote message={error} />
      {data ? (
        <>
          <dl class="tiles">
            <div>
              <dt>Registered devices</dt>
              <dd id="tile-registrations">{data.registrations}</dd>
            </div>
            <div>
              <dt>Calls now</dt>
              <dd id="tile-calls">{data.calls}</dd>
            </div>
            <div>
              <dt>Calls in the last hour</dt>
              <dd id="tile-last-hour">{data.lastHour}</dd>
            </div>
            <div>
              <dt>Extensions</dt>
              <dd>{data.status.counts.extensions}</dd>
            </div>
          </dl>
          <section aria-labelledby="dash-trunks-title">
            <h2 id="dash-trunks-title">Trunks</h2>
            {data.trunks.length === 0 ? <p>No trunk is configured.</p> : null}
            <ul class="plain">
              {data.trunks.map(({ trunk, status }) => (
                <li>
                  <strong>{trunk.name}</strong> {status ? <StateBadge state={status.state} /> : null} <span class="muted">{status?.last_response ?? ''}</span>
                </li>
              ))}
            </ul>
          </section>
          <p class="muted">
            Callplane {data.status.version}, up {Math.floor(data.status.uptime_s / 3600)} h {Math.floor((data.status.uptime_s % 3600) / 60)} min, store {data.status.database}.
          </p>
        </>
      ) : null}
      <section aria-labelledby="feed-title">
        <h2 id="feed-title">What just happened</h2>
        {feed.length === 0 ? <p>Events appear here as they happen.</p> : null}
        <ol class="feed" aria-live="polite">
          {feed.map((e) => (
            <li>
              <time dateTime={e.time}>{when(e.time)}</time> <strong>{e.type}</strong> {summary(e)}
            </li>
          ))}
        </ol>
      </section>
    </section>
  );
}
