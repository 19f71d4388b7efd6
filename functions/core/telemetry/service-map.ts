import { DERIVED } from './derived-metrics.js';
import { mergeSteps, type SeriesRows } from './metric-query.js';
import type { Contribution } from './model.js';
import type { ServiceSeen } from './read-ports.js';
import { mergeContribution } from './rollup-plan.js';
import { quantile } from './sketch.js';

/**
 * The services list and the dependency map, both computed from rollups: the SDK's standard HTTP metrics
 * (`http.server.requests` counter with a status or status_class tag, `http.server.duration` histogram in
 * ms) when a service sends them, otherwise the span-derived series.
 */
export const HTTP_METRICS = { requests: 'http.server.requests', duration: 'http.server.duration' } as const;

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

function total(rows: readonly SeriesRows[]): Contribution {
  const all: Contribution = {
    count: 0,
    sum: 0,
    min: Number.POSITIVE_INFINITY,
    max: Number.NEGATIVE_INFINITY,
    buckets: new Map(),
  };
  for (const c of mergeSteps(rows, Number.MAX_SAFE_INTEGER).values()) mergeContribution(all, c);
  return all;
}

const isServerError = (tags: Readonly<Record<string, string>>) => {
  const status = tags.status_class ?? tags.status ?? '';
  return status.startsWith('5');
};

const p95 = (c: Contribution) => (c.count && c.buckets?.size ? (quantile(c.buckets, 0.95, c) ?? null) : null);
const round = (x: number | null, digits = 4) => (x === null ? null : Number(x.toFixed(digits)));

export function summariseService(
  seen: ServiceSeen,
  data: { requests: SeriesRows[]; durations: SeriesRows[]; serverSpans: SeriesRows[] },
  windowSeconds: number,
): ServiceSummary {
  const base = { service: seen.service, lastSeen: seen.lastSeen, environments: seen.environments };
  const requests = total(data.requests);
  if (requests.count > 0) {
    const errors = total(data.requests.filter((s) => isServerError(s.series.tags)));
    return {
      ...base,
      requestRate: round(requests.sum / windowSeconds),
      errorRate: requests.sum > 0 ? round(errors.sum / requests.sum) : null,
      p95LatencyMs: round(p95(total(data.durations)), 3),
      source: 'metrics',
    };
  }
  const spans = total(data.serverSpans);
  if (spans.count > 0) {
    const failed = total(data.serverSpans.filter((s) => s.series.tags.error === 'true'));
    return {
      ...base,
      requestRate: round(spans.count / windowSeconds),
      errorRate: round(failed.count / spans.count),
      p95LatencyMs: round(p95(spans), 3),
      source: 'spans',
    };
  }
  return { ...base, requestRate: null, errorRate: null, p95LatencyMs: null, source: 'none' };
}

export interface DependencyMap {
  readonly nodes: { id: string; kind: 'service' | 'external' }[];
  readonly edges: { source: string; target: string; calls: number; errors: number; p95Ms: number | null }[];
}

export function dependencyMap(known: readonly string[], clientSpans: ReadonlyMap<string, SeriesRows[]>): DependencyMap {
  const edges: DependencyMap['edges'] = [];
  const nodes = new Map<string, 'service' | 'external'>(known.map((s) => [s, 'service']));
  for (const [source, series] of clientSpans) {
    const byPeer = new Map<string, SeriesRows[]>();
    for (const s of series) {
      const peer = s.series.tags.peer;
      if (!peer) continue;
      byPeer.set(peer, [...(byPeer.get(peer) ?? []), s]);
    }
    for (const [target, rows] of byPeer) {
      const all = total(rows);
      if (!all.count) continue;
      const errors = total(rows.filter((s) => s.series.tags.error === 'true')).count;
      edges.push({ source, target, calls: all.count, errors, p95Ms: round(p95(all), 3) });
      if (!nodes.has(target)) nodes.set(target, 'external');
      if (!nodes.has(source)) nodes.set(source, 'service');
    }
  }
  return {
    nodes: [...nodes].map(([id, kind]) => ({ id, kind })).sort((a, b) => a.id.localeCompare(b.id)),
    edges: edges.sort((a, b) => `${a.source}>${a.target}`.localeCompare(`${b.source}>${b.target}`)),
  };
}

export { DERIVED };
