import { createHash } from 'node:crypto';
import { asArray, asObject, attributes, nanosToMs, resourceStamp } from './otlp-common.js';
import { type CumulativeValue, cumulativeDelta, cumulativeValueOf, deltaPoint } from './otlp-cumulative.js';
import { explicitHistogram, exponentialHistogram, isRefusal, MAX_POINT_MAGNITUDE } from './otlp-histograms.js';

/**
 * The stateful half of cumulative temporality: each cumulative stream's last point lives in a `StreamStore`
 * (one item per stream), replaced only under a condition on the point it replaces, so two ingest instances
 * racing on one stream never both add the same delta: the loser re-reads and computes against the winner.
 * An instance remembers the last state it wrote or read per stream, so in steady state a point costs one
 * conditional write and no read.
 */
export interface StreamState {
  /** The last point's `timeUnixNano` (decimal string). */
  readonly timeNanos: string;
  /** The batch that wrote it: a retry of that batch re-emits `delta` (the rollup writes are idempotent per batch). */
  readonly batchId: string;
  readonly value: CumulativeValue;
  /** What that point added (null when it only seeded the stream). */
  readonly delta: CumulativeValue | null;
}

export interface StreamStore {
  get(service: string, streamId: string): Promise<StreamState | undefined>;
  /** Writes `next` if the stored state is still `prev` (absent when `prev` is undefined); false if it is not. */
  put(
    service: string,
    streamId: string,
    next: StreamState,
    prev: StreamState | undefined,
    expiresAtMs: number,
  ): Promise<boolean>;
}

/** One cumulative data point of a request, found by `cumulativePoints`. */
export interface StreamPoint {
  /** Its OTLP path (`resourceMetrics[0]…dataPoints[2]`), the key of its resolution. */
  readonly path: string;
  readonly service: string;
  readonly streamId: string;
  readonly timeNanos: bigint;
  readonly startMs: number | undefined;
  readonly value: CumulativeValue;
  readonly raw: Record<string, unknown>;
}

/** A delta point to store in place of the cumulative one, or null: nothing to add (already counted, or a baseline). */
export type Resolution = Record<string, unknown> | null;

const DELTA = 1;
const sorted = (o: Record<string, unknown>) => Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
const nanos = (x: unknown): bigint =>
  typeof x === 'string' && /^\d{1,20}$/.test(x)
    ? BigInt(x)
    : typeof x === 'number' && x > 0
      ? BigInt(Math.floor(x))
      : 0n;

/** Kinds whose cumulative points need state: monotonic sums and both histogram kinds. */
export function cumulativeKind(metric: Record<string, unknown>): 'sum' | 'histogram' | 'exponential' | undefined {
  for (const [field, kind] of [
    ['sum', 'sum'],
    ['histogram', 'histogram'],
    ['exponentialHistogram', 'exponential'],
  ] as const) {
    const data = asObject(metric[field]);
    if (!data) continue;
    const temporality = Number(data.aggregationTemporality);
    if (!Number.isFinite(temporality) || temporality === DELTA) return undefined;
    if (kind === 'sum' && data.isMonotonic !== true) return undefined; // up-down counters are gauges
    return kind;
  }
  return undefined;
}

/** Data points of every kind in an OTLP metrics request (a lower bound of the items it maps to). */
export function dataPointCount(body: unknown): number {
  let n = 0;
  for (const rm of asArray(asObject(body)?.resourceMetrics)) {
    for (const sm of asArray(asObject(rm)?.scopeMetrics)) {
      for (const raw of asArray(asObject(sm)?.metrics)) {
        const metric = asObject(raw) ?? {};
        for (const field of ['sum', 'gauge', 'histogram', 'exponentialHistogram', 'summary']) {
          n += asArray(asObject(metric[field])?.dataPoints).length;
        }
      }
    }
  }
  return n;
}

export function cumulativePoints(body: unknown): StreamPoint[] {
  const out: StreamPoint[] = [];
  asArray(asObject(body)?.resourceMetrics).forEach((rm, r) => {
    const resource = asObject(rm)?.resource;
    const stamp = resourceStamp(resource);
    const resourceKey = sorted(attributes(asObject(resource)?.attributes));
    asArray(asObject(rm)?.scopeMetrics).forEach((sm, s) => {
      const scope = asObject(asObject(sm)?.scope) ?? {};
      asArray(asObject(sm)?.metrics).forEach((raw, m) => {
        const metric = asObject(raw) ?? {};
        const kind = cumulativeKind(metric);
        if (!kind) return;
        const field = kind === 'exponential' ? 'exponentialHistogram' : kind;
        asArray(asObject(metric[field])?.dataPoints).forEach((p, i) => {
          const point = asObject(p) ?? {};
          const identity = JSON.stringify([
            resourceKey,
            scope.name ?? '',
            scope.version ?? '',
            metric.name ?? '',
            kind,
            sorted(attributes(point.attributes)),
            String(nanos(point.startTimeUnixNano)),
          ]);
          out.push({
            path: `resourceMetrics[${r}].scopeMetrics[${s}].metrics[${m}].${field}.dataPoints[${i}]`,
            service: stamp.service,
            streamId: createHash('sha256').update(identity).digest('base64url').slice(0, 22),
            timeNanos: nanos(point.timeUnixNano),
            startMs: nanosToMs(point.startTimeUnixNano),
            value: cumulativeValueOf(kind, point),
            raw: point,
          });
        });
      });
    });
  });
  return out;
}

export interface ResolveDeps {
  readonly store: StreamStore;
  readonly batchId: string;
  readonly now: number;
  /** A new stream whose start is older than this (the ingest window) only seeds its state: its total is history. */
  readonly maxAgeMs: number;
  /** How long a stream's state outlives its last point. */
  readonly ttlMs: number;
  /** Per-instance memory of the last state per stream (bounded by the caller). */
  readonly cache?: Map<string, StreamState>;
}

const MAX_ATTEMPTS = 8;
export const STREAM_CACHE_LIMIT = 20_000;

/** A point the delta checks would refuse is not stored as state: it goes on as sent, to be refused by path. */
function malformed(point: StreamPoint): boolean {
  const v = point.value;
  if (v.kind === 'sum') return !(Math.abs(v.value) <= MAX_POINT_MAGNITUDE);
  const check = v.kind === 'histogram' ? explicitHistogram : exponentialHistogram;
  return isRefusal(check(point.raw, point.path));
}

async function resolveOne(point: StreamPoint, deps: ResolveDeps): Promise<Resolution> {
  if (malformed(point)) return point.raw;
  const cacheKey = `${point.service}#${point.streamId}`;
  let prev = deps.cache?.get(cacheKey) ?? (await deps.store.get(point.service, point.streamId));
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    if (prev && point.timeNanos <= BigInt(prev.timeNanos)) {
      // Seen already: a retry of the batch that wrote it re-emits its delta (stored once by batch id), else nothing.
      const replay = point.timeNanos === BigInt(prev.timeNanos) && prev.batchId === deps.batchId && prev.delta;
      return replay ? deltaPoint(prev.delta!, point.raw) : null;
    }
    const outcome = cumulativeDelta(prev?.value, point.value);
    const seedOnly =
      outcome.kind === 'first' && point.startMs !== undefined && point.startMs < deps.now - deps.maxAgeMs;
    const next: StreamState = {
      timeNanos: String(point.timeNanos),
      batchId: deps.batchId,
      value: point.value,
      delta: seedOnly ? null : outcome.delta,
    };
    if (await deps.store.put(point.service, point.streamId, next, prev, deps.now + deps.ttlMs)) {
      if (deps.cache) {
        if (deps.cache.size >= STREAM_CACHE_LIMIT) deps.cache.clear();
        deps.cache.set(cacheKey, next);
      }
      return next.delta ? deltaPoint(next.delta, point.raw) : null;
    }
    prev = await deps.store.get(point.service, point.streamId);
  }
  throw new Error(`stream ${point.streamId}: the last point kept changing under ${MAX_ATTEMPTS} attempts`);
}

/**
 * Each cumulative point → its resolution, by path. Points of one stream are taken in time order, one after
 * the other; different streams in parallel (bounded by the caller's batch size).
 */
export async function resolveStreams(
  points: readonly StreamPoint[],
  deps: ResolveDeps,
): Promise<Map<string, Resolution>> {
  const byStream = new Map<string, StreamPoint[]>();
  for (const p of points) {
    const key = `${p.service}#${p.streamId}`;
    byStream.set(key, [...(byStream.get(key) ?? []), p]);
  }
  const out = new Map<string, Resolution>();
  const streams = [...byStream.values()];
  const CONCURRENCY = 16;
  for (let i = 0; i < streams.length; i += CONCURRENCY) {
    await Promise.all(
      streams.slice(i, i + CONCURRENCY).map(async (stream) => {
        for (const p of [...stream].sort((a, b) => (a.timeNanos < b.timeNanos ? -1 : 1))) {
          out.set(p.path, await resolveOne(p, deps));
        }
      }),
    );
  }
  return out;
}
