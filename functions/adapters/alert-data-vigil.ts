import type {
  AlertDataSource,
  CloudWatchQuery,
  CloudWatchResult,
  LatencyCounts,
  SeriesPoints,
  TargetView,
  TimeWindow,
  WindowValue,
} from '../core/alerting/data-source.js';
import { matchesAll } from '../core/alerting/matchers.js';
import type { VigilMetric } from '../core/alerting/rule-model.js';
import type { TargetStore } from '../core/probing/model.js';
import {
  aggregate,
  matches,
  mergeSteps,
  parseStat,
  type SeriesRows,
  statValue,
} from '../core/telemetry/metric-query.js';
import type { Contribution } from '../core/telemetry/model.js';
import type { TelemetryReader } from '../core/telemetry/read-ports.js';
import type { SeriesInfo } from '../core/telemetry/rollup-plan.js';
import { mergeContribution } from '../core/telemetry/rollup-plan.js';
import { bucketValue } from '../core/telemetry/sketch.js';

/**
 * The alert evaluator's data, read from Vigil's own storage: metric rollups through the telemetry reader
 * (statistics merged across series and steps as `GET /v1/metrics/query` merges them, percentiles from the
 * merged buckets), the services list for "no ingest at all", and the probe targets' current states.
 * A window [from, to) covers the rollup steps that start in it. CloudWatch reads go to the CloudWatch
 * adapter when one is given; deployment windows come from the verification store when one is given.
 */
export interface VigilAlertDataOptions {
  readonly reader: TelemetryReader;
  readonly targets: Pick<TargetStore, 'listTargets' | 'listStates'>;
  readonly stepSeconds: number;
  readonly cloudWatch?: { read(queries: readonly CloudWatchQuery[]): Promise<CloudWatchResult[]> };
  readonly deployWindows?: (service: string, from: number, to: number) => Promise<TimeWindow[]>;
  /** For the series-list cache. */
  readonly now: () => number;
  /** How long a service's series list is reused across rules and evaluations. @default 60_000 */
  readonly seriesCacheMs?: number;
}

const groupTags = (groupBy: readonly string[], tags: Readonly<Record<string, string>>) =>
  Object.fromEntries(groupBy.map((k) => [k, tags[k] ?? '']));

export function vigilAlertData(options: VigilAlertDataOptions): AlertDataSource {
  const { reader, stepSeconds } = options;
  const stepMs = stepSeconds * 1_000;
  const cache = new Map<string, { at: number; series: Promise<SeriesInfo[]> }>();

  const seriesOf = (service: string, name?: string): Promise<SeriesInfo[]> => {
    const key = `${service}\u0000${name ?? ''}`;
    const hit = cache.get(key);
    const now = options.now();
    if (hit && now - hit.at < (options.seriesCacheMs ?? 60_000)) return hit.series;
    const series = reader.listSeries(service, name);
    series.catch(() => cache.delete(key));
    cache.set(key, { at: now, series });
    return series;
  };

  /** The rollup rows of every series of the metric whose steps start in [from, to). */
  async function rows(
    m: Pick<VigilMetric, 'service' | 'name' | 'tags' | 'match'>,
    from: number,
    to: number,
  ): Promise<SeriesRows[]> {
    const series = (await seriesOf(m.service, m.name)).filter(
      (s) => s.name === m.name && matches(s.tags, m.tags) && matchesAll(m.match, s.tags),
    );
    const first = Math.ceil(from / stepMs) * stepMs;
    return Promise.all(
      series.map(async (s) => ({ series: s, rows: await reader.readRollups(m.service, s.id, first, to - 1) })),
    );
  }

  function groups(all: readonly SeriesRows[], groupBy: readonly string[]) {
    const out = new Map<string, { labels: Record<string, string>; members: SeriesRows[] }>();
    for (const entry of all) {
      const labels = groupTags(groupBy, entry.series.tags);
      const key = JSON.stringify(labels);
      const g = out.get(key) ?? { labels, members: [] };
      g.members.push(entry);
      out.set(key, g);
    }
    return [...out.values()];
  }

  const total = (members: readonly SeriesRows[]): Contribution | undefined => {
    let all: Contribution | undefined;
    for (const c of mergeSteps(members, Number.MAX_SAFE_INTEGER).values()) {
      if (all) mergeContribution(all, c);
      else all = c;
    }
    return all;
  };

  return {
    async windowStat(m, from, to): Promise<WindowValue[]> {
      const stat = parseStat(m.stat);
      if (!stat) throw new Error(`unknown statistic ${m.stat}`);
      return groups(await rows(m, from, to), m.groupBy).flatMap(({ labels, members }) => {
        const c = total(members);
        if (!c?.count) return [];
        const type = members.some((x) => x.series.type === 'counter') ? 'counter' : members[0]!.series.type;
        const value = statValue(stat, c, (to - from) / 1_000, type);
        return value === undefined || !Number.isFinite(value) ? [] : [{ labels, value, count: c.count }];
      });
    },

    async series(m, from, to, step): Promise<SeriesPoints[]> {
      const stat = parseStat(m.stat);
      if (!stat) throw new Error(`unknown statistic ${m.stat}`);
      const all = await rows(m, from, to);
      return groups(all, m.groupBy).map(({ labels, members }) => ({
        labels,
        points: aggregate(members, { stat, stepMs: Math.max(step, stepMs), groupBy: [], filter: {} })[0]?.points ?? [],
      }));
    },

    async latencyCounts(m, threshold, from, to): Promise<LatencyCounts[]> {
      return groups(await rows(m, from, to), m.groupBy).flatMap(({ labels, members }) => {
        const c = total(members);
        if (!c?.count) return [];
        let good = 0;
        for (const [key, n] of c.buckets ?? []) if (bucketValue(key) <= threshold) good += n;
        return [{ labels, good, total: c.count }];
      });
    },

    async lastSeen(m, from, to) {
      if (m.name === undefined) {
        const seen = (await reader.listServices()).find((s) => s.service === m.service)?.lastSeen;
        return seen !== undefined && seen >= from && seen <= to ? seen : undefined;
      }
      let last: number | undefined;
      for (const { rows: rs } of await rows(
        { service: m.service, name: m.name, tags: m.tags ?? {}, match: [] },
        from,
        to + 1,
      )) {
        for (const r of rs) if (r.count > 0 && (last === undefined || r.stepStart > last)) last = r.stepStart;
      }
      return last;
    },

    async targets(): Promise<TargetView[]> {
      const [targets, states] = await Promise.all([options.targets.listTargets(), options.targets.listStates()]);
      const byId = new Map(states.map((s) => [s.id, s]));
      return targets.map((t) => {
        const s = byId.get(t.id);
        return {
          id: t.id,
          service: t.service,
          status: s?.status ?? 'unknown',
          reason: s?.reason,
          since: s?.since ?? t.createdAt,
        };
      });
    },

    async cloudWatch(queries) {
      if (!options.cloudWatch)
        return queries.map(() => ({ ok: false as const, error: 'CloudWatch is not configured here' }));
      return options.cloudWatch.read(queries);
    },

    async deployWindows(service, from, to) {
      return options.deployWindows ? options.deployWindows(service, from, to) : [];
    },
  };
}
