import type { Contribution, MetricType, Tags } from './model.js';
import type { RollupRow } from './read-ports.js';
import type { SeriesInfo } from './rollup-plan.js';
import { mergeContribution } from './rollup-plan.js';
import { quantile } from './sketch.js';
import { alignDown } from './time.js';

/**
 * Metric queries over rollups: series matching the tag filter are grouped by the `groupBy` tags, their
 * rollups merged per output step (counts and sums add, buckets add, min/max compare), and one statistic
 * read off each merged step. Percentiles come from the merged buckets, so they are as exact across series
 * and steps as within one.
 */
export type Stat =
  | { readonly kind: 'count' | 'sum' | 'avg' | 'min' | 'max' | 'rate' }
  | { readonly kind: 'quantile'; readonly q: number };

const SIMPLE = ['count', 'sum', 'avg', 'min', 'max', 'rate'] as const;

/** `count`…`rate`, or `pNN` with an optional fraction (`p99.9`). */
export function parseStat(text: string): Stat | undefined {
  if ((SIMPLE as readonly string[]).includes(text)) return { kind: text as (typeof SIMPLE)[number] };
  const match = /^p(\d{1,2}(?:\.\d+)?|100)$/.exec(text);
  if (!match) return undefined;
  const q = Number((Number(match[1]) / 100).toPrecision(12)); // p99.9 → 0.999, not 0.9990000000000001
  return q >= 0 && q <= 1 ? { kind: 'quantile', q } : undefined;
}

export function parseTagFilter(text: string | undefined): Record<string, string> | undefined {
  if (!text) return {};
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const at = part.indexOf(':');
    if (at <= 0) return undefined;
    out[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return out;
}

export const matches = (tags: Tags, filter: Readonly<Record<string, string>>) =>
  Object.entries(filter).every(([k, v]) => tags[k] === v);

export interface SeriesRows {
  readonly series: SeriesInfo;
  readonly rows: readonly RollupRow[];
}

export interface QueriedSeries {
  readonly tags: Record<string, string>;
  readonly points: [number, number][];
}

export function statValue(stat: Stat, c: Contribution, stepSeconds: number, type: MetricType): number | undefined {
  switch (stat.kind) {
    case 'count':
      return c.count;
    case 'sum':
      return c.sum;
    case 'avg':
      return c.count ? c.sum / c.count : undefined;
    case 'min':
      return c.count ? c.min : undefined;
    case 'max':
      return c.count ? c.max : undefined;
    case 'rate':
      // Counters count things in their values (deltas); other kinds count observations.
      return (type === 'counter' ? c.sum : c.count) / stepSeconds;
    case 'quantile':
      return c.buckets?.size ? quantile(c.buckets, stat.q, { min: c.min, max: c.max }) : undefined;
  }
}

export const rowContribution = (row: RollupRow): Contribution => ({
  count: row.count,
  sum: row.sum,
  min: row.min,
  max: row.max,
  buckets: new Map(row.buckets),
});

/** Merges the rows of many series into one contribution per output step. */
export function mergeSteps(all: readonly SeriesRows[], stepMs: number): Map<number, Contribution> {
  const steps = new Map<number, Contribution>();
  for (const { rows } of all) {
    for (const row of rows) {
      if (!row.count) continue;
      const at = alignDown(row.stepStart, stepMs);
      const existing = steps.get(at);
      if (existing) mergeContribution(existing, rowContribution(row));
      else steps.set(at, rowContribution(row));
    }
  }
  return steps;
}

export function aggregate(
  all: readonly SeriesRows[],
  options: { stat: Stat; stepMs: number; groupBy: readonly string[]; filter: Readonly<Record<string, string>> },
): QueriedSeries[] {
  const groups = new Map<string, { tags: Record<string, string>; members: SeriesRows[] }>();
  for (const entry of all) {
    const tags = options.groupBy.length
      ? Object.fromEntries(options.groupBy.map((k) => [k, entry.series.tags[k] ?? '']))
      : { ...options.filter };
    const key = JSON.stringify(tags);
    const group = groups.get(key) ?? { tags, members: [] };
    group.members.push(entry);
    groups.set(key, group);
  }
  const out: QueriedSeries[] = [];
  for (const { tags, members } of groups.values()) {
    const type = members.some((m) => m.series.type === 'counter') ? 'counter' : members[0]!.series.type;
    const points: [number, number][] = [];
    for (const [at, c] of [...mergeSteps(members, options.stepMs)].sort((a, b) => a[0] - b[0])) {
      const value = statValue(options.stat, c, options.stepMs / 1_000, type);
      if (value !== undefined && Number.isFinite(value)) points.push([at, value]);
    }
    if (points.length) out.push({ tags, points });
  }
  return out.sort((a, b) => JSON.stringify(a.tags).localeCompare(JSON.stringify(b.tags)));
}
