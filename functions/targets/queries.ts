import * as v from 'valibot';
import { parseTimeRange, type TimeRange } from '../core/time-range.js';
import { parse } from '../core/validate.js';

/**
 * Query strings of the history and events routes. Times take the forms of every query route
 * (`functions/core/time-range.ts`: epoch ms, ISO 8601, `now`, relative such as `-6h`; at most 31 days);
 * both default to the last 24 hours.
 */
const DAY_MS = 86_400_000;
const time = v.optional(v.pipe(v.string(), v.maxLength(40, 'must be at most 40 characters')));

const RangeSchema = v.object({ from: time, to: time, service: v.optional(v.pipe(v.string(), v.maxLength(64))) });

const HistorySchema = v.object({
  from: time,
  to: time,
  limit: v.optional(
    v.pipe(
      v.string(),
      v.transform(Number),
      v.number('must be a number'),
      v.integer('must be a whole number'),
      v.minValue(1, 'must be at least 1'),
      v.maxValue(5_000, 'must be at most 5000'),
    ),
    '1000',
  ),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(2_000, 'must be at most 2000 characters'))),
});

export function eventsQuery(query: unknown, now: number): TimeRange & { service?: string | undefined } {
  const q = parse(RangeSchema, query, 'query');
  return { ...parseTimeRange(q, now, DAY_MS), service: q.service };
}

export function historyQuery(query: unknown, now: number): TimeRange & { limit: number; cursor?: string | undefined } {
  const q = parse(HistorySchema, query, 'query');
  return { ...parseTimeRange(q, now, DAY_MS), limit: q.limit, cursor: q.cursor };
}
