import type { Contribution } from './model.js';
import { type BucketKey, type Buckets, bucketKey, GAMMA, MIN_MAGNITUDE } from './sketch.js';

/**
 * OTLP histogram data points → contributions to Vigil's log-bucket sketch, after checking that the point
 * is self-consistent (a point that is not is refused alone, with the field named).
 *
 * An explicit bucket only says "k values in (lo, hi]". Like Prometheus' `histogram_quantile`, Vigil assumes
 * they are spread evenly: the j-th of k sits at lo + (hi − lo)·j/k, so a percentile interpolates linearly
 * within the bucket that holds its rank and is exact at bucket boundaries (within the sketch's 1%). The
 * first bucket (−∞, b₀] starts at 0 when b₀ > 0 (Prometheus' rule); the last one (bₙ, +∞) ends at the
 * point's `max` when it is sent (Prometheus can only answer bₙ there). Exponential buckets
 * (base^i, base^(i+1)] are spread the same way, so they lose nothing beyond their own scale.
 */
export interface PointRefusal {
  readonly path: string;
  readonly message: string;
}

/** Counts of one data point: OTLP sends uint64 as decimal strings; a count this large is not a count. */
export const MAX_POINT_COUNT = 1e15;
/** Same bound as native metric values. */
export const MAX_POINT_MAGNITUDE = 1e15;

type Point = Record<string, unknown>;
type Result = Contribution | PointRefusal | undefined;

export const isRefusal = (r: Result): r is PointRefusal => r !== undefined && 'message' in r;

function integer(x: unknown, path: string, max = MAX_POINT_COUNT): number | PointRefusal {
  const n = typeof x === 'string' && /^\d{1,16}$/.test(x) ? Number(x) : x === undefined ? 0 : x;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max) {
    return { path, message: `must be a whole number from 0 to ${max}, not ${JSON.stringify(x)}` };
  }
  return n;
}

function finite(x: unknown, path: string): number | undefined | PointRefusal {
  if (x === undefined || x === null) return undefined;
  const n = typeof x === 'string' ? Number(x) : x;
  if (typeof n !== 'number' || !Number.isFinite(n) || Math.abs(n) > MAX_POINT_MAGNITUDE) {
    return { path, message: `must be a finite number within ±${MAX_POINT_MAGNITUDE}` };
  }
  return n;
}

const bad = (x: unknown): x is PointRefusal => typeof x === 'object' && x !== null;

/** The largest value bucket `key` holds (for p buckets inclusive; for n and z the exclusive edge). */
function bucketTop(key: BucketKey): number {
  if (key === 'z') return MIN_MAGNITUDE;
  const index = Number(key.slice(1));
  return key[0] === 'p' ? GAMMA ** index : -(GAMMA ** (index - 1));
}

interface Spread {
  buckets: Buckets;
  min: number;
  max: number;
  sum: number;
}

/**
 * Most sketch buckets one explicit bucket may spread into when it holds more values than that: the error this
 * adds is at most half a slice, (hi − lo)/128, inside the bucket (and a bucket bound stays within it).
 */
export const MAX_SLICES = 64;

const LN_GAMMA = Math.log(GAMMA);
function sketchBucketsSpanned(lo: number, hi: number): number {
  if (lo > 0) return Math.log(hi / lo) / LN_GAMMA;
  if (hi < 0) return Math.log(lo / hi) / LN_GAMMA;
  return Number.POSITIVE_INFINITY; // it reaches zero: a log scale has no end there
}

/** Adds k values spread evenly over (lo, hi] — one step per sketch bucket touched, never one per value. */
export function spreadLinear(into: Spread, lo: number, hi: number, k: number): void {
  if (k <= 0) return;
  const width = hi - lo;
  if (!(width > 0)) {
    into.buckets.set(bucketKey(hi), (into.buckets.get(bucketKey(hi)) ?? 0) + k);
    into.min = Math.min(into.min, hi);
    into.max = Math.max(into.max, hi);
    into.sum += hi * k;
    return;
  }
  const pos = (j: number) => (j === k ? hi : lo + (width * j) / k);
  into.min = Math.min(into.min, pos(1));
  into.max = Math.max(into.max, hi);
  into.sum += k * lo + (width * (k + 1)) / 2;
  if (k > MAX_SLICES && sketchBucketsSpanned(lo, hi) > MAX_SLICES) {
    // A wide bucket with many values would touch hundreds of sketch buckets (each a stored attribute): cut it in
    // MAX_SLICES equal slices instead; slice m holds the positions j with m/S < j/k ≤ (m+1)/S, at its middle.
    for (let m = 0; m < MAX_SLICES; m++) {
      const c = Math.floor((k * (m + 1)) / MAX_SLICES) - Math.floor((k * m) / MAX_SLICES);
      if (!c) continue;
      const key = bucketKey(lo + (width * (m + 0.5)) / MAX_SLICES);
      into.buckets.set(key, (into.buckets.get(key) ?? 0) + c);
    }
    return;
  }
  let j = 1;
  while (j <= k) {
    const key = bucketKey(pos(j));
    const top = bucketTop(key);
    let end = top >= hi ? k : Math.min(k, Math.max(j, Math.floor(((top - lo) / width) * k)));
    // Floating point may put the estimate one position off either way: settle it on the bucket's edge.
    while (end > j && bucketKey(pos(end)) !== key) end--;
    while (end < k && bucketKey(pos(end + 1)) === key) end++;
    into.buckets.set(key, (into.buckets.get(key) ?? 0) + (end - j + 1));
    j = end + 1;
  }
}

function finish(point: Point, at: string, count: number, spread: Spread): Result {
  const sum = finite(point.sum, `${at}.sum`);
  const min = finite(point.min, `${at}.min`);
  const max = finite(point.max, `${at}.max`);
  for (const x of [sum, min, max]) if (bad(x)) return x;
  if (count === 0) return undefined; // an empty interval: nothing happened
  return {
    count,
    sum: (sum as number | undefined) ?? spread.sum,
    min: (min as number | undefined) ?? spread.min,
    max: (max as number | undefined) ?? spread.max,
    buckets: spread.buckets,
  };
}

const emptySpread = (): Spread => ({
  buckets: new Map(),
  min: Number.POSITIVE_INFINITY,
  max: Number.NEGATIVE_INFINITY,
  sum: 0,
});

export function explicitHistogram(point: Point, at: string): Result {
  const count = integer(point.count, `${at}.count`);
  if (bad(count)) return count;
  const bounds: number[] = [];
  const rawBounds = Array.isArray(point.explicitBounds) ? point.explicitBounds : [];
  for (const [i, raw] of rawBounds.entries()) {
    const b = typeof raw === 'string' ? Number(raw) : raw;
    if (typeof b !== 'number' || !Number.isFinite(b)) {
      return { path: `${at}.explicitBounds[${i}]`, message: 'must be a finite number' };
    }
    if (i > 0 && b <= bounds[i - 1]!) {
      return { path: `${at}.explicitBounds[${i}]`, message: 'bounds must increase strictly' };
    }
    bounds.push(b);
  }
  const rawCounts = Array.isArray(point.bucketCounts) ? point.bucketCounts : [];
  if (rawCounts.length && rawCounts.length !== bounds.length + 1) {
    return {
      path: `${at}.bucketCounts`,
      message: `holds ${rawCounts.length} counts for ${bounds.length} bounds; it must hold one more count than bounds`,
    };
  }
  const counts: number[] = [];
  for (const [i, raw] of rawCounts.entries()) {
    const k = integer(raw, `${at}.bucketCounts[${i}]`);
    if (bad(k)) return k;
    counts.push(k);
  }
  const total = counts.reduce((a, b) => a + b, 0);
  if (counts.length && total !== count) {
    return { path: `${at}.bucketCounts`, message: `add up to ${total}, but count is ${count}` };
  }
  const sum = finite(point.sum, `${at}.sum`);
  const min = finite(point.min, `${at}.min`);
  const max = finite(point.max, `${at}.max`);
  for (const x of [sum, min, max]) if (bad(x)) return x;
  const spread = emptySpread();
  const mean = count ? ((sum as number | undefined) ?? 0) / count : 0;
  // Only count and sum, or a single bucket: the values are spread over [min, max] when known, else the mean.
  const whole = (k: number) =>
    typeof min === 'number' && typeof max === 'number' && max >= min
      ? spreadLinear(spread, min, max, k)
      : spreadLinear(spread, mean, mean, k);
  if (!counts.length) whole(count);
  counts.forEach((k, i) => {
    if (!k) return;
    const hi = i < bounds.length ? bounds[i]! : undefined;
    const lo = i > 0 ? bounds[i - 1]! : undefined;
    if (lo === undefined && hi === undefined) whole(k);
    else if (lo === undefined) spreadLinear(spread, Math.min(hi!, 0), hi!, k);
    else if (hi === undefined) spreadLinear(spread, lo, typeof max === 'number' && max > lo ? max : lo, k);
    else spreadLinear(spread, lo, hi, k);
  });
  return finish(point, at, count, spread);
}

/** Scales OTLP allows (base 2^(2^-scale)); outside them the bucket edges are meaningless or overflow. */
const MIN_SCALE = -10;
const MAX_SCALE = 20;

export function exponentialHistogram(point: Point, at: string): Result {
  const count = integer(point.count, `${at}.count`);
  if (bad(count)) return count;
  const scale = typeof point.scale === 'string' ? Number(point.scale) : (point.scale ?? 0);
  if (typeof scale !== 'number' || !Number.isInteger(scale) || scale < MIN_SCALE || scale > MAX_SCALE) {
    return { path: `${at}.scale`, message: `must be a whole number from ${MIN_SCALE} to ${MAX_SCALE}` };
  }
  const base = 2 ** (2 ** -scale);
  const spread = emptySpread();
  const zero = integer(point.zeroCount, `${at}.zeroCount`);
  if (bad(zero)) return zero;
  spreadLinear(spread, 0, 0, zero);
  let total = zero;
  for (const [side, sign] of [
    ['positive', 1],
    ['negative', -1],
  ] as const) {
    const b = (typeof point[side] === 'object' && point[side] !== null ? point[side] : {}) as Point;
    const offset = typeof b.offset === 'string' ? Number(b.offset) : (b.offset ?? 0);
    if (typeof offset !== 'number' || !Number.isInteger(offset)) {
      return { path: `${at}.${side}.offset`, message: 'must be a whole number' };
    }
    const raw = Array.isArray(b.bucketCounts) ? b.bucketCounts : [];
    for (const [i, r] of raw.entries()) {
      const k = integer(r, `${at}.${side}.bucketCounts[${i}]`);
      if (bad(k)) return k;
      if (!k) continue;
      const lo = base ** (offset + i);
      const hi = base ** (offset + i + 1);
      if (!(hi <= MAX_POINT_MAGNITUDE)) {
        return { path: `${at}.${side}.bucketCounts[${i}]`, message: `holds values beyond ±${MAX_POINT_MAGNITUDE}` };
      }
      total += k;
      // Bucket i spans (lo, hi] by magnitude; a negative one is [-hi, -lo).
      if (sign > 0) spreadLinear(spread, lo, hi, k);
      else spreadLinear(spread, -hi, -lo, k);
    }
  }
  if (total !== count) {
    return { path: `${at}.count`, message: `is ${count}, but zeroCount and the bucket counts add up to ${total}` };
  }
  return finish(point, at, count, spread);
}
