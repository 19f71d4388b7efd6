import * as v from 'valibot';
import { PayloadTooLargeError, ValidationError } from '../errors.js';
import { violations } from '../validate.js';
import { FIXED_LIMITS, type IngestLimits } from './limits.js';
import {
  type Batch,
  type Contribution,
  type Counts,
  KINDS,
  type Kind,
  type MetricPoint,
  type Rejection,
  zeroCounts,
} from './model.js';
import { EnvelopeSchema, ErrorSchema, LogSchema, MetricSchema, SpanSchema } from './schemas.js';
import { addToBuckets, type Buckets } from './sketch.js';

/**
 * Native batch → normalised model. The envelope (service, environment, version) must be valid or the whole
 * batch is refused; each item is then checked alone, so one bad datapoint costs only itself.
 */
export interface ValidatedBatch {
  readonly batch: Batch;
  readonly rejected: Rejection[];
  readonly rejectedCounts: Counts;
}

export interface ValidateOptions {
  readonly now: number;
  readonly limits: IngestLimits;
  /**
   * Pre-aggregated histograms (OTLP) by index in `metrics`: the item is validated as usual (name, tags,
   * time) and this contribution replaces the one its placeholder `values` would give.
   */
  readonly contributions?: ReadonlyMap<number, Contribution>;
}

const SCHEMAS = { metrics: MetricSchema, logs: LogSchema, spans: SpanSchema, errors: ErrorSchema } as const;

/** Items of a batch as the item limit counts them: each histogram value is one. */
export function itemCount(body: Record<string, unknown>): number {
  let n = 0;
  for (const kind of KINDS) {
    const list = body[kind];
    if (!Array.isArray(list)) continue;
    n += list.length;
    if (kind !== 'metrics') continue;
    for (const m of list) {
      const values = (m as { values?: unknown } | null)?.values;
      if (Array.isArray(values)) n += values.length - 1;
    }
  }
  return n;
}

export function contributionOf(values: readonly number[], withBuckets: boolean): Contribution {
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  const buckets: Buckets | undefined = withBuckets ? new Map() : undefined;
  for (const value of values) {
    sum += value;
    if (value < min) min = value;
    if (value > max) max = value;
    if (buckets) addToBuckets(buckets, value);
  }
  return { count: values.length, sum, min, max, ...(buckets ? { buckets } : {}) };
}

export function validateBatch(body: unknown, options: ValidateOptions): ValidatedBatch {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError([{ path: '', message: 'the body must be a JSON object with at least "service"' }]);
  }
  const record = body as Record<string, unknown>;
  const envelope = v.safeParse(EnvelopeSchema, record);
  if (!envelope.success) throw new ValidationError(violations(envelope.issues));
  const { service, environment, version } = envelope.output;
  const items = itemCount(record);
  if (items > options.limits.maxBatchItems) {
    throw new PayloadTooLargeError(
      `batch holds ${items} items; the limit is ${options.limits.maxBatchItems} (split it)`,
    );
  }

  const { now, limits } = options;
  const rejected: Rejection[] = [];
  const rejectedCounts = zeroCounts();
  const stamp = { service, environment, ...(version ? { version } : {}) };
  const batch: Batch = { ...stamp, metrics: [], logs: [], spans: [], errors: [] };
  const reject = (kind: Kind, entries: Rejection[]) => {
    rejectedCounts[kind]++;
    for (const entry of entries) if (rejected.length < FIXED_LIMITS.rejectedListed) rejected.push(entry);
  };
  const checkTime = (ms: number | undefined, path: string): Rejection | undefined => {
    if (ms === undefined) return undefined;
    if (ms < now - limits.maxAgeMs)
      return { path, reason: `is older than the ${limits.maxAgeMs / 3_600_000} h ingest window` };
    if (ms > now + limits.maxFutureMs)
      return { path, reason: `is more than ${limits.maxFutureMs / 60_000} min in the future` };
    return undefined;
  };
  const reserved = { environment, ...(version ? { version } : {}) };

  for (const kind of KINDS) {
    const list = record[kind];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      reject(kind, [{ path: kind, reason: 'must be an array' }]);
      continue;
    }
    list.forEach((raw, index) => {
      const at = `${kind}[${index}]`;
      const result = v.safeParse(SCHEMAS[kind], raw);
      if (!result.success) {
        reject(
          kind,
          violations(result.issues, at).map((x) => ({ path: x.path, reason: x.message })),
        );
        return;
      }
      const item = result.output as Record<string, unknown>;
      const timeFields = kind === 'spans' ? ['startTime', 'endTime'] : ['timestamp'];
      const late = timeFields.map((f) => checkTime(item[f] as number | undefined, `${at}.${f}`)).find(Boolean);
      if (late) {
        reject(kind, [late]);
        return;
      }
      if (kind === 'metrics') {
        const m = result.output as v.InferOutput<typeof MetricSchema>;
        const values = m.type === 'histogram' ? m.values : [m.value];
        const point: MetricPoint = {
          name: m.name,
          type: m.type,
          ...(m.unit ? { unit: m.unit } : {}),
          tags: { ...m.tags, ...reserved },
          timestamp: m.timestamp ?? now,
          contribution: options.contributions?.get(index) ?? contributionOf(values, m.type !== 'counter'),
          source: at,
        };
        batch.metrics.push(point);
      } else if (kind === 'logs') {
        const l = result.output as v.InferOutput<typeof LogSchema>;
        batch.logs.push({ ...stamp, ...l, timestamp: l.timestamp ?? now });
      } else if (kind === 'spans') {
        const s = result.output as v.InferOutput<typeof SpanSchema>;
        const startTime = s.startTime ?? s.endTime ?? now;
        batch.spans.push({ ...stamp, ...s, startTime, endTime: s.endTime ?? startTime });
      } else {
        const e = result.output as v.InferOutput<typeof ErrorSchema>;
        batch.errors.push({ ...stamp, ...e, timestamp: e.timestamp ?? now });
      }
    });
  }
  return { batch, rejected, rejectedCounts };
}
