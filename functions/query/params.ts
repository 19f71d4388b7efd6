import * as v from 'valibot';
import { ValidationError } from '../core/errors.js';
import { parseStat, parseTagFilter, type Stat } from '../core/telemetry/metric-query.js';
import { LOG_LEVELS } from '../core/telemetry/model.js';
import { parseDurationMs } from '../core/telemetry/time.js';
import { parseTimeRange, type RangeInput, type TimeRange } from '../core/time-range.js';
import { parse } from '../core/validate.js';

/** Query-string parameters of the query routes, validated with paths like `query.from`. */
export const MAX_POINTS = 2_000;

const text = (max: number) =>
  v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(max, `must be at most ${max} characters`));
const int = (min: number, max: number, fallback: number) =>
  v.optional(
    v.pipe(
      v.string(),
      v.transform(Number),
      v.number('must be a number'),
      v.integer('must be a whole number'),
      v.minValue(min),
      v.maxValue(max),
    ),
    String(fallback),
  );

const RangeSchema = { from: v.optional(text(40)), to: v.optional(text(40)) };

export type Range = TimeRange;

/** The query routes' time range (`functions/core/time-range.ts`, shared with the targets routes). */
export const rangeOf = (q: RangeInput, now: number, defaultSpanMs = 3_600_000): Range =>
  parseTimeRange(q, now, defaultSpanMs);

const MetricQuerySchema = v.object({
  ...RangeSchema,
  service: text(64),
  name: text(200),
  stat: v.optional(text(10)),
  step: v.optional(text(20)),
  tags: v.optional(v.pipe(v.string(), v.maxLength(1_000))),
  groupBy: v.optional(v.pipe(v.string(), v.maxLength(300))),
});

export interface MetricQuery extends Range {
  readonly service: string;
  readonly name: string;
  readonly stat?: Stat;
  readonly stepMs: number;
  readonly filter: Record<string, string>;
  readonly groupBy: string[];
}

export function metricQuery(query: unknown, now: number, storageStepSeconds: number): MetricQuery {
  const q = parse(MetricQuerySchema, query, 'query');
  const range = rangeOf(q, now);
  const stat = q.stat === undefined ? undefined : parseStat(q.stat);
  if (q.stat !== undefined && !stat) {
    throw new ValidationError([
      { path: 'query.stat', message: 'must be one of count, sum, avg, min, max, rate, or pNN (p50, p99.9…)' },
    ]);
  }
  const filter = parseTagFilter(q.tags);
  if (!filter) throw new ValidationError([{ path: 'query.tags', message: 'must be k:v pairs separated by commas' }]);
  const storageMs = storageStepSeconds * 1_000;
  let stepMs = q.step === undefined ? (range.to - range.from) / 300 : parseDurationMs(q.step);
  if (stepMs === undefined || stepMs <= 0)
    throw new ValidationError([{ path: 'query.step', message: 'must be seconds or a duration like 5m' }]);
  // Steps are whole multiples of the stored resolution: a finer step would only repeat stored values.
  stepMs = Math.max(storageMs, Math.ceil(stepMs / storageMs) * storageMs);
  if ((range.to - range.from) / stepMs > MAX_POINTS) {
    throw new ValidationError([
      { path: 'query.step', message: `gives more than ${MAX_POINTS} points; use a larger step` },
    ]);
  }
  const groupBy = q.groupBy
    ? q.groupBy
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
  return { ...range, service: q.service, name: q.name, ...(stat ? { stat } : {}), stepMs, filter, groupBy };
}

export const LogsQuerySchema = v.object({
  ...RangeSchema,
  service: v.optional(text(64)),
  level: v.optional(
    v.pipe(v.string(), v.toLowerCase(), v.picklist(LOG_LEVELS, `must be one of: ${LOG_LEVELS.join(', ')}`)),
  ),
  q: v.optional(v.pipe(v.string(), v.maxLength(200))),
  traceId: v.optional(v.pipe(v.string(), v.toLowerCase(), v.regex(/^[0-9a-f]{32}$/, 'must be 32 hex characters'))),
  limit: int(1, 1_000, 100),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(2_000))),
});

export const TracesQuerySchema = v.object({
  ...RangeSchema,
  service: v.optional(text(64)),
  minDurationMs: v.optional(v.pipe(v.string(), v.transform(Number), v.number('must be a number'), v.minValue(0))),
  limit: int(1, 500, 50),
});

export const ErrorsQuerySchema = v.object({ ...RangeSchema, service: v.optional(text(64)) });
export const RangeOnlySchema = v.object(RangeSchema);
