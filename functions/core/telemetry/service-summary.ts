import { DERIVED } from './derived-metrics.js';
import { isServerErrorStatus } from './http-status.js';
import type { MetricPoint } from './model.js';
import type { ServiceSeen } from './read-ports.js';
import { type Buckets, mergeBuckets, quantile } from './sketch.js';
import { alignDown } from './time.js';

/**
 * The services list from data kept as it is written: each batch adds its service's request counts, error
 * counts and latency buckets to one summary item per service and step, so `GET /v1/services` reads a few
 * summary partitions instead of every series of every service. Two sources, as before: the SDK's standard
 * HTTP metrics when a service sends them, otherwise its span-derived entry spans.
 */
export const HTTP_METRICS = { requests: 'http.server.requests', duration: 'http.server.duration' } as const;

/** What one batch adds to its service's summary for one step. */
export interface SummaryDelta {
  readonly stepStart: number;
  /** Datapoints of `http.server.requests`, their summed value, and the 5xx share of it. */
  requestPoints: number;
  requests: number;
  serverErrors: number;
  /** `http.server.duration` buckets (ms). */
  readonly durations: Buckets;
  /** Entry spans, failed entry spans, and their duration buckets (ms). */
  spans: number;
  spanErrors: number;
  readonly spanDurations: Buckets;
}

export type SummaryTotals = Omit<SummaryDelta, 'stepStart'>;

export const emptySummary = (stepStart = 0): SummaryDelta => ({
  stepStart,
  requestPoints: 0,
  requests: 0,
  serverErrors: 0,
  durations: new Map(),
  spans: 0,
  spanErrors: 0,
  spanDurations: new Map(),
});

/** The summary deltas of a batch's admitted datapoints (span-derived ones included), one per step. */
export function planSummary(points: readonly MetricPoint[], stepSeconds: number): SummaryDelta[] {
  const byStep = new Map<number, SummaryDelta>();
  const at = (timestamp: number) => {
    const stepStart = alignDown(timestamp, stepSeconds * 1_000);
    const delta = byStep.get(stepStart) ?? emptySummary(stepStart);
    byStep.set(stepStart, delta);
    return delta;
  };
  for (const p of points) {
    const c = p.contribution;
    if (p.name === HTTP_METRICS.requests && p.type === 'counter') {
      const d = at(p.timestamp);
      d.requestPoints += c.count;
      d.requests += c.sum;
      if (isServerErrorStatus(p.tags)) d.serverErrors += c.sum;
    } else if (p.name === HTTP_METRICS.duration && p.type === 'histogram' && c.buckets) {
      mergeBuckets(at(p.timestamp).durations, c.buckets);
    } else if (p.name === DERIVED.serverDuration && c.buckets) {
      const d = at(p.timestamp);
      d.spans += c.count;
      if (p.tags.error === 'true') d.spanErrors += c.count;
      mergeBuckets(d.spanDurations, c.buckets);
    }
  }
  return [...byStep.values()];
}

export function addSummary(into: SummaryTotals, from: SummaryTotals): void {
  into.requestPoints += from.requestPoints;
  into.requests += from.requests;
  into.serverErrors += from.serverErrors;
  mergeBuckets(into.durations, from.durations);
  into.spans += from.spans;
  into.spanErrors += from.spanErrors;
  mergeBuckets(into.spanDurations, from.spanDurations);
}

export interface ServiceSummary {
  readonly service: string;
  readonly lastSeen: number;
  readonly environments: readonly string[];
  /** Requests per second over the window. */
  readonly requestRate: number | null;
  /** Failed share of requests (0–1): 5xx, or spans with error status. */
  readonly errorRate: number | null;
  readonly p95LatencyMs: number | null;
  readonly source: 'metrics' | 'spans' | 'none';
}

const round = (x: number | null | undefined, digits = 4) =>
  x === null || x === undefined ? null : Number(x.toFixed(digits));

export function summariseService(
  seen: ServiceSeen,
  totals: SummaryTotals | undefined,
  windowSeconds: number,
): ServiceSummary {
  const base = { service: seen.service, lastSeen: seen.lastSeen, environments: seen.environments };
  if (totals && totals.requestPoints > 0) {
    return {
      ...base,
      requestRate: round(totals.requests / windowSeconds),
      errorRate: totals.requests > 0 ? round(totals.serverErrors / totals.requests) : null,
      p95LatencyMs: round(quantile(totals.durations, 0.95), 3),
      source: 'metrics',
    };
  }
  if (totals && totals.spans > 0) {
    return {
      ...base,
      requestRate: round(totals.spans / windowSeconds),
      errorRate: round(totals.spanErrors / totals.spans),
      p95LatencyMs: round(quantile(totals.spanDurations, 0.95), 3),
      source: 'spans',
    };
  }
  return { ...base, requestRate: null, errorRate: null, p95LatencyMs: null, source: 'none' };
}
