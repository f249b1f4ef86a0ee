// The console's shell: sign-in, navigation between pages (in the URL's fragment, so a page
// can be bookmarked and reloaded), the live-stream indicator and sign-out.
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

import { currentToken, onSessionChange, setToken } from './api';
import { type Connection, connect, connection, disconnect, onConnection } from './events';
import { CallsPage } from './pages/calls';
import { CdrsPage } from './pages/cdrs';
import { DashboardPage } from './pages/dashboard';
import { ExtensionsPage } from './pages/extensions';
import { LuaServicesPage } from './pages/lua_services';
import { RingGroupsPage } from './pages/ring_groups';
import { RoutesPage } from './pages/routes';
import { SecurityPage } from './pages/security';
import { SignIn } from './pages/sign_in';
import { TrunksPage } from './pages/trunks';
import { WebhooksPage } from './pages/webhooks';

const PAGES = [
  { path: 'dashboard', title: 'Dashboard', page: DashboardPage },
  { path: 'calls', title: 'Live calls', page: CallsPage },
  { path: 'cdrs', title: 'Call history', page: CdrsPage },
  { path: 'extensions', title: 'Extensions', page: ExtensionsPage },
  { path: 'ring-groups', title: 'Ring groups', page: RingGroupsPage },
  { path: 'routes', title: 'Routes', page: RoutesPage },
  { path: 'trunks', title: 'Trunks', page: TrunksPage },
  { path: 'webhooks', title: 'Webhooks', page: WebhooksPage },
  { path: 'lua', title: 'Lua services', page: LuaServicesPage },
  { path: 'security', title: 'Security', page: SecurityPage },
] as const;

function currentPath(): string {
  return location.hash.replace(/^#\/?/, '') || 'dashboard';
}

function App() {
  const [token, setCurrent] = useState(currentToken());
  const [path, setPath] = useState(currentPath());
  const [live, setLive] = useState<Connection>(connection());
  const [menuOpen, setMenuOpen] = useState(false);

  useEffect(() => onSessionChange(() => setCurrent(currentToken())), []);
  useEffect(() => onConnection(setLive), []);
  useEffect(() => {
    const f = () => {
      setPath(currentPath());
      setMenuOpen(false);
    };
    addEventListener('hashchange', f);
    return () => removeEventListener('hashchange', f);
  }, []);
  useEffect(() => {
    if (token) {
      connect();
    } else {
      disconnect();
    }
  }, [token]);

  const entry = PAGES.find((p) => p.path === path) ?? PAGES[0];
  const first = useRef(true);
  useEffect(() => {
    document.title = token ? `${entry.title} · Callplane` : 'Sign in · Callplane';
    // After a page change, focus moves to the new page (a screen reader reads it); not on
    // the first load, where Tab starts at the skip link.
    if (first.current) {
      first.current = false;
    } else if (token) {
      document.getElementById('main')?.focus();
    }
  }, [entry, token]);

  if (!token) {
    return <SignIn />;
  }
  const Page = entry.page;
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Callplane</span>
        <button type="button" class="menu-toggle secondary" aria-expanded={menuOpen} aria-controls="nav" onClick={() => setMenuOpen(!menuOpen)}>
          Menu
        </button>
        <span class={`live ${live}`} role="status" title="The live event stream">
          {live === 'live' ? 'Live' : live === 'connecting' ? 'Connecting…' : 'Offline'}
        </span>
        <button type="button" class="secondary" onClick={() => setToken(null)}>
          Sign out
        </button>
      </header>
      <nav id="nav" class={menuOpen ? 'open' : ''} aria-label="Pages">
        <ul>
          {PAGES.map((p) => (
            <li>
              <a href={`#/${p.path}`} aria-current={p.path === entry.path ? 'page' : undefined}>
                {p.title}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        <Page key={entry.path} />
      </main>
    </>
  );
}

const root = document.getElementById('app');
if (root) {
  render(<App />, root);
}
