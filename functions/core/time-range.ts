import { ValidationError } from './errors.js';
import { MAX_EPOCH_MS, MIN_EPOCH_MS, parseQueryTime } from './telemetry/time.js';

/**
 * The one time-range parser of every query route (`from`/`to` in the query string): epoch ms, ISO 8601,
 * `now` or relative to now (`-1h`, `now-15m`, `-7d`); `to` defaults to now and `from` to `to` minus the
 * route's default span; a range spans at most 31 days. Times outside the years 2000–2100 are refused
 * (they are unit mistakes), so a date past JavaScript's range never reaches a `Date`.
 */
export const MAX_RANGE_MS = 31 * 86_400_000;
export const TIME_FORMS = 'must be epoch ms, ISO 8601, "now" or relative like -1h (years 2000 to 2100)';

export interface TimeRange {
  readonly from: number;
  readonly to: number;
}

export interface RangeInput {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

function timeOf(text: string, now: number): number | undefined {
  const ms = parseQueryTime(text, now);
  return ms !== undefined && ms >= MIN_EPOCH_MS && ms <= MAX_EPOCH_MS ? ms : undefined;
}

export function parseTimeRange(q: RangeInput, now: number, defaultSpanMs = 3_600_000, prefix = 'query'): TimeRange {
  const to = q.to === undefined ? now : timeOf(q.to, now);
  const from = q.from === undefined ? (to ?? now) - defaultSpanMs : timeOf(q.from, now);
  const problems = [];
  if (from === undefined) problems.push({ path: `${prefix}.from`, message: TIME_FORMS });
  if (to === undefined) problems.push({ path: `${prefix}.to`, message: TIME_FORMS });
  if (from === undefined || to === undefined) throw new ValidationError(problems);
  if (from >= to) throw new ValidationError([{ path: `${prefix}.from`, message: 'must be before "to"' }]);
  if (to - from > MAX_RANGE_MS) {
    throw new ValidationError([{ path: `${prefix}.from`, message: 'the range may span at most 31 days' }]);
  }
  return { from, to };
}
