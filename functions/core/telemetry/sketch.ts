/**
 * Log-bucket histogram in the spirit of DDSketch: value v > 0 falls in bucket i = ceil(ln v / ln γ), so
 * every bucket spans (γ^(i-1), γ^i] and its representative 2γ^i/(γ+1) is within (γ-1)/(γ+1) ≈ 1% of any
 * value in it (γ = 1.02). Bucket counts add, so sketches merge exactly across writers and time steps,
 * which is what lets DynamoDB `ADD` store them without a read.
 */
export const GAMMA = 1.02;
const LN_GAMMA = Math.log(GAMMA);
/** Values closer to zero than this are counted in the zero bucket (no timing or size is that small). */
export const MIN_MAGNITUDE = 1e-9;

/** Bucket key: `p{i}` for positive values, `n{i}` for negative ones (by magnitude), `z` for zero. */
export type BucketKey = string;

export function bucketKey(value: number): BucketKey {
  const magnitude = Math.abs(value);
  if (magnitude < MIN_MAGNITUDE) return 'z';
  const index = Math.ceil(Math.log(magnitude) / LN_GAMMA);
  return `${value > 0 ? 'p' : 'n'}${index}`;
}

/** The value a bucket stands for (relative error ≤ (γ-1)/(γ+1) for any value in it). */
export function bucketValue(key: BucketKey): number {
  if (key === 'z') return 0;
  const index = Number(key.slice(1));
  const magnitude = (2 * GAMMA ** index) / (GAMMA + 1);
  return key[0] === 'n' ? -magnitude : magnitude;
}

/** Sort order of buckets by the values they hold (most negative first). */
export function bucketRank(key: BucketKey): number {
  if (key === 'z') return 0;
  const index = Number(key.slice(1));
  // Shift so that every positive bucket ranks above zero and every negative below, whatever the index.
  return key[0] === 'p' ? 1e6 + index : -1e6 - index;
}

export type Buckets = Map<BucketKey, number>;

export function addToBuckets(buckets: Buckets, value: number, count = 1): void {
  const key = bucketKey(value);
  buckets.set(key, (buckets.get(key) ?? 0) + count);
}

export function mergeBuckets(into: Buckets, from: ReadonlyMap<BucketKey, number>): void {
  for (const [key, count] of from) into.set(key, (into.get(key) ?? 0) + count);
}

/**
 * The q-quantile (0 ≤ q ≤ 1) of the values counted in `buckets`, clamped to [min, max] when known.
 * Uses the nearest rank (the smallest value with at least q·n values at or below it), so the p95 of a few
 * values is their high end, as on-call engineers expect, rather than DDSketch's lower rank.
 */
export function quantile(
  buckets: ReadonlyMap<BucketKey, number>,
  q: number,
  bounds?: { min?: number; max?: number },
): number | undefined {
  let total = 0;
  for (const count of buckets.values()) total += count;
  if (total <= 0) return undefined;
  const rank = Math.max(1, Math.ceil(q * total));
  const ordered = [...buckets.entries()].filter(([, c]) => c > 0).sort((a, b) => bucketRank(a[0]) - bucketRank(b[0]));
  let seen = 0;
  let estimate = bucketValue(ordered[ordered.length - 1]![0]);
  for (const [key, count] of ordered) {
    seen += count;
    if (seen >= rank) {
      estimate = bucketValue(key);
      break;
    }
  }
  if (bounds?.min !== undefined && estimate < bounds.min) estimate = bounds.min;
  if (bounds?.max !== undefined && estimate > bounds.max) estimate = bounds.max;
  return estimate;
}
