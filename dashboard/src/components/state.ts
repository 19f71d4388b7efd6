import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { UrlState } from '../lib/url-state.js';

export interface AppContext {
  readonly state: UrlState;
  /** Pushes a new state into the URL (a new history entry unless `replace`). */
  readonly go: (next: UrlState, replace?: boolean) => void;
  /** Increments on every auto-refresh tick and manual refresh. */
  readonly tick: number;
  /** The moment the current tick started: the `now` of relative time ranges. */
  readonly now: number;
  readonly apiBase: string;
}

export const Ctx = createContext<AppContext | null>(null);

export function useApp(): AppContext {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error('useApp outside the app');
  return ctx;
}
