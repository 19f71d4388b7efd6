import { createHash } from 'node:crypto';
import type { Contribution, MetricPoint, MetricType, Tags } from './model.js';
import { mergeBuckets } from './sketch.js';
import { alignDown } from './time.js';

/**
 * Rollup planning: a batch's datapoints are folded per series and step before anything is written, so a
 * batch costs one write per distinct series-step however many datapoints it holds.
 */
export interface SeriesInfo {
  readonly id: string;
  readonly name: string;
  readonly type: MetricType;
  readonly unit?: string;
  readonly tags: Tags;
}

export interface RollupUpdate {
  readonly series: SeriesInfo;
  readonly stepStart: number;
  readonly contribution: Contribution;
}

export interface RollupPlan {
  readonly series: Map<string, SeriesInfo>;
  readonly updates: RollupUpdate[];
  /** Datapoints that would take their series-step's count or sum past `MAX_STEP_TOTAL`, with why. */
  readonly refused: { point: MetricPoint; reason: string }[];
}

/**
 * The largest count or |sum| one write may add to a series-step: DynamoDB's document client refuses numbers
 * it cannot represent exactly (beyond 2^53 - 1), so a batch whose datapoints fold past it would fail whole.
 * The datapoint that would pass it is refused instead, and the ones before it are kept.
 */
export const MAX_STEP_TOTAL = Number.MAX_SAFE_INTEGER;

const fits = (into: Contribution, from: Contribution) =>
  into.count + from.count <= MAX_STEP_TOTAL && Math.abs(into.sum + from.sum) <= MAX_STEP_TOTAL;

/**
 * A tag set as one string, unambiguous: two different tag sets never give the same string. Tag keys cannot
 * hold `=` or `\u0001` (TAG_KEY_PATTERN), so `k=v` pairs joined by `\u0001` are unambiguous as long as no
 * value holds `\u0001`; that form is kept for those (every series stored so far keeps its id). A tag set
 * with `\u0001` in a value is encoded as the JSON of its sorted pairs instead, which starts with `[` where
 * the first form starts with a tag key's letter or `_` (or is empty), so the two forms cannot meet.
 */
export function canonicalTags(tags: Tags): string {
  const keys = Object.keys(tags).sort();
  if (keys.some((k) => tags[k]!.includes('\u0001'))) return JSON.stringify(keys.map((k) => [k, tags[k]]));
  return keys.map((k) => `${k}=${tags[k]}`).join('\u0001');
}

/** A series is its name, type and tag set; the id is short because it is part of every rollup key. */
export function seriesId(name: string, type: MetricType, tags: Tags): string {
  return createHash('sha256')
    .update(`${name}\u0000${type}\u0000${canonicalTags(tags)}`)
    .digest('base64url')
    .slice(0, 16);
}

export function mergeContribution(into: Contribution, from: Contribution): void {
  into.count += from.count;
  into.sum += from.sum;
  if (from.min < into.min) into.min = from.min;
  if (from.max > into.max) into.max = from.max;
  if (from.buckets) {
    if (!into.buckets) into.buckets = new Map();
    mergeBuckets(into.buckets, from.buckets);
  }
}

export const cloneContribution = (c: Contribution): Contribution => ({
  ...c,
  ...(c.buckets ? { buckets: new Map(c.buckets) } : {}),
});

export function seriesOf(point: MetricPoint): SeriesInfo {
  return {
    id: seriesId(point.name, point.type, point.tags),
    name: point.name,
    type: point.type,
    ...(point.unit ? { unit: point.unit } : {}),
    tags: point.tags,
  };
}

export function planRollups(points: readonly MetricPoint[], stepSeconds: number): RollupPlan {
  const stepMs = stepSeconds * 1_000;
  const series = new Map<string, SeriesInfo>();
  const byKey = new Map<string, RollupUpdate>();
  const refused: RollupPlan['refused'] = [];
  for (const point of points) {
    const info = seriesOf(point);
    if (!series.has(info.id)) series.set(info.id, info);
    const stepStart = alignDown(point.timestamp, stepMs);
    const key = `${info.id}@${stepStart}`;
    const existing = byKey.get(key);
    if (existing && !fits(existing.contribution, point.contribution)) {
      refused.push({
        point,
        reason: `would take this series' ${stepSeconds} s step past a total of ${MAX_STEP_TOTAL} in one batch; send it in another batch`,
      });
    } else if (existing) mergeContribution(existing.contribution, point.contribution);
    else
      byKey.set(key, { series: series.get(info.id)!, stepStart, contribution: cloneContribution(point.contribution) });
  }
  return { series, updates: [...byKey.values()], refused };
}
