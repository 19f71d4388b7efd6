import { parseStat, statValue } from '../../telemetry/metric-query.js';
import type { MetricType } from '../../telemetry/model.js';
import { contributionOf } from '../../telemetry/validate-batch.js';
import type {
  AlertDataSource,
  CloudWatchQuery,
  CloudWatchResult,
  LatencyCounts,
  SeriesPoints,
  TargetView,
  TimeWindow,
  WindowValue,
} from '../data-source.js';
import { matchesAll } from '../matchers.js';
import type { Labels } from '../model.js';
import type { VigilMetric } from '../rule-model.js';

/**
 * An AlertDataSource over datapoints held in memory: the input of `vigil rules test` (and of the domain
 * tests). Statistics are computed as Vigil's rollups compute them (the same `statValue`, percentiles from
 * the same log-scale buckets), over the datapoints whose time falls in (from, to], as a Prometheus range
 * selector reads them, so a datapoint at an evaluation's time is part of that evaluation.
 */
export interface MemorySeries {
  readonly service: string;
  readonly name: string;
  readonly type: MetricType;
  readonly tags: Labels;
  /** [time, value]; a counter's value is its increment (Vigil stores counter deltas). */
  readonly points: readonly (readonly [number, number])[];
}

export interface MemoryCloudWatchSeries {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Labels;
  readonly points: readonly (readonly [number, number])[];
  /** Every read of this metric fails with this message (to test the `error` status). */
  readonly fail?: string;
}

export interface MemoryTarget {
  readonly id: string;
  readonly service: string;
  /** [time, status] ascending; the status at t is the last one at or before t (`unknown` before the first). */
  readonly statuses: readonly (readonly [number, TargetView['status']])[];
}

export interface MemoryData {
  readonly series: readonly MemorySeries[];
  readonly cloudwatch?: readonly MemoryCloudWatchSeries[];
  readonly targets?: readonly MemoryTarget[];
  readonly deployments?: readonly (TimeWindow & { service: string })[];
  /** The time reads happen at: targets' statuses are those of this moment. */
  readonly now: () => number;
}

const sameDims = (a: Labels, b: Labels) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

function cloudWatchStat(stat: string, values: number[]): number | undefined {
  if (!values.length) return undefined;
  const c = contributionOf(values, true);
  const map: Record<string, string> = {
    SampleCount: 'count',
    Sum: 'sum',
    Average: 'avg',
    Minimum: 'min',
    Maximum: 'max',
  };
  const parsed = parseStat(map[stat] ?? stat);
  return parsed ? statValue(parsed, c, 60, 'gauge') : undefined;
}

export function memorySource(data: MemoryData): AlertDataSource {
  const pick = (m: VigilMetric) =>
    data.series.filter(
      (s) =>
        s.service === m.service &&
        s.name === m.name &&
        Object.entries(m.tags).every(([k, v]) => s.tags[k] === v) &&
        matchesAll(m.match, s.tags),
    );
  const grouped = (m: VigilMetric, from: number, to: number) => {
    const groups = new Map<string, { labels: Labels; type: MetricType; values: [number, number][] }>();
    for (const s of pick(m)) {
      const labels = Object.fromEntries(m.groupBy.map((k) => [k, s.tags[k] ?? '']));
      const key = JSON.stringify(labels);
      const g = groups.get(key) ?? { labels, type: s.type, values: [] };
      for (const p of s.points) if (p[0] > from && p[0] <= to) g.values.push([p[0], p[1]]);
      groups.set(key, g);
    }
    return [...groups.values()].filter((g) => g.values.length > 0);
  };
  const statOf = (m: VigilMetric, type: MetricType, values: number[], seconds: number) => {
    const stat = parseStat(m.stat);
    return stat ? statValue(stat, contributionOf(values, true), seconds, type) : undefined;
  };

  return {
    async windowStat(m, from, to): Promise<WindowValue[]> {
      return grouped(m, from, to).flatMap((g) => {
        const value = statOf(
          m,
          g.type,
          g.values.map((v) => v[1]),
          (to - from) / 1_000,
        );
        return value === undefined ? [] : [{ labels: g.labels, value, count: g.values.length }];
      });
    },
    async series(m, from, to, stepMs): Promise<SeriesPoints[]> {
      return grouped(m, from, to).map((g) => {
        const steps = new Map<number, number[]>();
        for (const [t, v] of g.values) {
          const at = from + Math.floor((t - from - 1) / stepMs) * stepMs;
          steps.set(at, [...(steps.get(at) ?? []), v]);
        }
        const points = [...steps]
          .sort((a, b) => a[0] - b[0])
          .flatMap(([at, vs]) => {
            const value = statOf(m, g.type, vs, stepMs / 1_000);
            return value === undefined ? [] : [[at, value] as const];
          });
        return { labels: g.labels, points };
      });
    },
    async latencyCounts(m, threshold, from, to): Promise<LatencyCounts[]> {
      return grouped(m, from, to).map((g) => ({
        labels: g.labels,
        good: g.values.filter((v) => v[1] <= threshold).length,
        total: g.values.length,
      }));
    },
    async lastSeen(m, from, to) {
      let last: number | undefined;
      for (const s of data.series) {
        if (s.service !== m.service || (m.name !== undefined && s.name !== m.name)) continue;
        if (m.tags && !Object.entries(m.tags).every(([k, v]) => s.tags[k] === v)) continue;
        for (const [t] of s.points) if (t > from && t <= to && (last === undefined || t > last)) last = t;
      }
      return last;
    },
    async targets(): Promise<TargetView[]> {
      const now = data.now();
      return (data.targets ?? []).map((t) => {
        const seen = t.statuses.filter(([at]) => at <= now);
        const current = seen.at(-1);
        let first = seen.length - 1;
        while (first > 0 && seen[first - 1]![1] === current?.[1]) first--;
        const since = current ? seen[first]![0] : 0;
        return { id: t.id, service: t.service, status: current?.[1] ?? 'unknown', reason: undefined, since };
      });
    },
    async cloudWatch(queries: readonly CloudWatchQuery[]): Promise<CloudWatchResult[]> {
      return queries.map((q) => {
        const s = (data.cloudwatch ?? []).find(
          (c) =>
            c.namespace === q.metric.namespace &&
            c.metricName === q.metric.metricName &&
            sameDims(c.dimensions, q.metric.dimensions),
        );
        if (s?.fail) return { ok: false, error: s.fail };
        const values = (s?.points ?? []).filter(([t]) => t > q.from && t <= q.to).map((p) => p[1]);
        const value = cloudWatchStat(q.metric.stat, values);
        return { ok: true, points: value === undefined ? [] : [[q.from, value] as const] };
      });
    },
    async deployWindows(service, from, to) {
      return (data.deployments ?? []).filter((d) => d.service === service && d.start < to && d.end > from);
    },
  };
}
