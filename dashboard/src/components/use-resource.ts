import { useEffect, useState } from 'preact/hooks';

export interface Resource<T> {
  readonly data?: T;
  readonly error?: unknown;
  readonly loading: boolean;
}

/**
 * Loads on mount, whenever a key changes, and on every refresh tick; keeps the last data while reloading so
 * an auto-refresh never blanks the page. A stale answer (keys changed meanwhile) is dropped.
 */
export function useResource<T>(load: () => Promise<T>, keys: readonly unknown[]): Resource<T> {
  const [state, setState] = useState<Resource<T>>({ loading: true });
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, keys);
  return state;
}
