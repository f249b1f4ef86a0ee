// The live event stream (GET /api/v1/events over WebSocket), shared by every page. The
// token travels as the subprotocol `bearer.<token>`, never in the URL. After a drop it
// reconnects with since_seq, so nothing in between is missed.
import { currentToken } from './api';

export type LiveEvent = { seq: number; type: string; time: string; data: Record<string, unknown> };
export type Listener = (e: LiveEvent) => void;
export type Connection = 'connecting' | 'live' | 'offline';

const listeners = new Set<Listener>();
const stateListeners = new Set<(c: Connection) => void>();
let socket: WebSocket | undefined;
let lastSeq: number | undefined;
let retry = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
let state: Connection = 'offline';
let wanted = false;

function setState(c: Connection): void {
  state = c;
  stateListeners.forEach((f) => f(c));
}

function open(): void {
  const token = currentToken();
  if (!wanted || token === null) {
    return;
  }
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const since = lastSeq === undefined ? '' : `?since_seq=${lastSeq}`;
  setState('connecting');
  const ws = new WebSocket(`${scheme}://${location.host}/api/v1/events${since}`, ['callplane', `bearer.${token}`]);
  socket = ws;
  ws.onopen = () => {
    retry = 0;
    setState('live');
  };
  ws.onmessage = (m) => {
    let e: LiveEvent;
    try {
      e = JSON.parse(String(m.data)) as LiveEvent;
    } catch {
      return;
    }
    lastSeq = e.seq;
    listeners.forEach((f) => f(e));
  };
  ws.onclose = () => {
    if (socket !== ws) {
      return;
    }
    socket = undefined;
    setState('offline');
    if (wanted) {
      retry = Math.min(retry + 1, 6);
      timer = setTimeout(open, 500 * 2 ** retry);
    }
  };
}

/** Starts the stream (after sign-in). */
export function connect(): void {
  wanted = true;
  if (!socket) {
    open();
  }
}

/** Stops it (sign-out). */
export function disconnect(): void {
  wanted = false;
  lastSeq = undefined;
  clearTimeout(timer);
  socket?.close(1000);
  socket = undefined;
  setState('offline');
}

/** Calls `f` for each event whose type starts with one of `prefixes` (all when empty). */
export function subscribe(prefixes: string[], f: Listener): () => void {
  const g: Listener = (e) => {
    if (prefixes.length === 0 || prefixes.some((p) => e.type.startsWith(p))) {
      f(e);
    }
  };
  listeners.add(g);
  return () => listeners.delete(g);
}

export function connection(): Connection {
  return state;
}

export function onConnection(f: (c: Connection) => void): () => void {
  stateListeners.add(f);
  return () => stateListeners.delete(f);
}
