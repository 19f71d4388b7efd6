/** Formatting for people: short numbers with units, and times in the browser's zone with the UTC on hover. */
const DASH = '—';

export function formatNumber(n: number | null | undefined, digits = 2): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return DASH;
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${trim(n / 1e9, 1)}G`;
  if (abs >= 1e6) return `${trim(n / 1e6, 1)}M`;
  if (abs >= 1e4) return `${trim(n / 1e3, 1)}k`;
  if (abs >= 100) return String(Math.round(n));
  return trim(n, digits);
}

function trim(n: number, digits: number): string {
  return String(Number(n.toFixed(digits)));
}

export function formatRate(perSecond: number | null | undefined): string {
  return perSecond === null || perSecond === undefined ? DASH : `${formatNumber(perSecond)}/s`;
}

export function formatPercent(ratio: number | null | undefined, digits = 1): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return DASH;
  const pct = ratio * 100;
  return `${pct > 0 && pct < 10 ** -digits ? `<${10 ** -digits}` : pct.toFixed(digits)}%`;
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  if (ms < 1) return `${trim(ms * 1000, 0)} µs`;
  if (ms < 1000) return `${trim(ms, ms < 10 ? 1 : 0)} ms`;
  if (ms < 60_000) return `${trim(ms / 1000, 2)} s`;
  if (ms < 3_600_000) return `${trim(ms / 60_000, 1)} min`;
  return `${trim(ms / 3_600_000, 1)} h`;
}

/** A time in the browser's time zone (or the given one, for tests). */
export function formatTime(t: number | string | null | undefined, timeZone?: string): string {
  const date = toDate(t);
  if (!date) return DASH;
  return date.toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    ...(timeZone ? { timeZone } : {}),
  });
}

/** The same instant in UTC, for the hover title. */
export function formatUtc(t: number | string | null | undefined): string {
  const date = toDate(t);
  return date
    ? `${date
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, '')} UTC`
    : '';
}

export function formatAgo(t: number | string | null | undefined, now: number): string {
  const date = toDate(t);
  if (!date) return DASH;
  const s = Math.round((now - date.getTime()) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

export function toDate(t: number | string | null | undefined): Date | undefined {
  if (t === null || t === undefined || t === '') return undefined;
  const date = new Date(t);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
