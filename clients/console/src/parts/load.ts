// Loading data for a page: once, again on request, and again (debounced) when an event of
// the given kinds arrives on the live stream.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

import { describe } from '../api';
import { subscribe } from '../events';

export type Loaded<T> = { data: T | undefined; error: string | undefined; reload: () => void };

export function useLoad<T>(load: () => Promise<T>, deps: unknown[], refreshOn: string[] = []): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const generation = useRef(0);
  const reload = useCallback(() => {
    const mine = ++generation.current;
    load().then(
      (d) => {
        if (mine === generation.current) {
          setData(d);
          setError(undefined);
        }
      },
      (e: unknown) => {
        if (mine === generation.current) {
          setError(describe(e));
        }
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(() => {
    reload();
    if (refreshOn.length === 0) {
      return undefined;
    }
    let pending: ReturnType<typeof setTimeout> | undefined;
    const off = subscribe(refreshOn, () => {
      clearTimeout(pending);
      pending = setTimeout(reload, 250);
    });
    return () => {
      off();
      clearTimeout(pending);
    };
  }, [reload]);
  return { data, error, reload };
}

/** "2026-12-02T06:21:31Z" → local date and time, seconds included. */
export function when(iso: string | undefined): string {
  if (!iso) {
    return '';
  }
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}
