import { DEFAULT_RANGE, isPreset, type TimeRange } from './time-range.js';

/**
 * Everything a view shows is in the URL's query string, so a link shows the same thing to a colleague:
 * the view, service, time range, filters and whether auto-refresh is paused. Unknown or malformed values
 * fall back to the defaults rather than breaking the page. The token never goes here.
 */
export const VIEWS = ['overview', 'service', 'logs', 'traces', 'alerts', 'deployments', 'targets'] as const;
export type View = (typeof VIEWS)[number];

export interface UrlState {
  readonly view: View;
  readonly service?: string;
  readonly range: TimeRange;
  readonly paused: boolean;
  readonly level?: string;
  readonly q?: string;
  readonly traceId?: string;
  readonly minDurationMs?: number;
  readonly metric?: string;
  readonly live?: boolean;
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

function int(value: string | null): number | undefined {
  if (value === null || !/^\d{1,15}$/.test(value)) return undefined;
  return Number(value);
}

export function parseRange(params: URLSearchParams): TimeRange {
  const range = params.get('range');
  if (range && isPreset(range)) return { kind: 'preset', preset: range };
  const from = int(params.get('from'));
  const to = int(params.get('to'));
  if (range === 'custom' && from !== undefined && to !== undefined && from < to) return { kind: 'custom', from, to };
  return DEFAULT_RANGE;
}

export function parseState(search: string): UrlState {
  const p = new URLSearchParams(search);
  const view = p.get('view');
  const text = (name: string) => {
    const v = p.get(name)?.trim();
    return v ? v.slice(0, 256) : undefined;
  };
  const level = text('level');
  const traceId = text('traceId');
  const minDurationMs = int(p.get('minDurationMs'));
  return {
    view: (VIEWS as readonly string[]).includes(view ?? '') ? (view as View) : 'overview',
    range: parseRange(p),
    paused: p.get('paused') === '1',
    ...(text('service') ? { service: text('service') } : {}),
    ...(level && LEVELS.includes(level) ? { level } : {}),
    ...(text('q') ? { q: text('q') } : {}),
    ...(traceId && /^[0-9a-f]{32}$/i.test(traceId) ? { traceId: traceId.toLowerCase() } : {}),
    ...(minDurationMs !== undefined ? { minDurationMs } : {}),
    ...(text('metric') ? { metric: text('metric') } : {}),
    ...(p.get('live') === '1' ? { live: true } : {}),
  };
}

/** The query string for a state; defaults are left out so links stay short. */
export function toSearch(state: UrlState): string {
  const p = new URLSearchParams();
  if (state.view !== 'overview') p.set('view', state.view);
  if (state.service) p.set('service', state.service);
  if (state.range.kind === 'preset') {
    if (state.range.preset !== '1h') p.set('range', state.range.preset);
  } else {
    p.set('range', 'custom');
    p.set('from', String(state.range.from));
    p.set('to', String(state.range.to));
  }
  if (state.level) p.set('level', state.level);
  if (state.q) p.set('q', state.q);
  if (state.traceId) p.set('traceId', state.traceId);
  if (state.minDurationMs !== undefined) p.set('minDurationMs', String(state.minDurationMs));
  if (state.metric) p.set('metric', state.metric);
  if (state.live) p.set('live', '1');
  if (state.paused) p.set('paused', '1');
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** Moving to another view keeps what is shared (service, range, pause) and drops the view's own filters. */
export function navigate(state: UrlState, view: View, extra: Partial<UrlState> = {}): UrlState {
  return {
    view,
    range: state.range,
    paused: state.paused,
    ...(state.service ? { service: state.service } : {}),
    ...extra,
  };
}
