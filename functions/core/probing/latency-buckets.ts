/**
 * Log-scale latency buckets (γ = 1.02, about 1% relative error), so hourly rollups can be merged across
 * any window and still give percentiles. Bucket 0 holds everything up to 1 ms.
 */
const GAMMA = 1.02;
const LOG_GAMMA = Math.log(GAMMA);

export function bucketOf(ms: number): number {
  return ms <= 1 ? 0 : Math.ceil(Math.log(ms) / LOG_GAMMA);
}

/** A bucket's representative value: the midpoint of (γ^(i-1), γ^i]. */
export function bucketValue(index: number): number {
  return index === 0 ? 1 : (2 * GAMMA ** index) / (GAMMA + 1);
}

/** Nearest-rank percentile over merged bucket counts. */
export function bucketPercentile(buckets: ReadonlyMap<number, number>, p: number): number | undefined {
  const total = [...buckets.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const index of [...buckets.keys()].sort((a, b) => a - b)) {
    seen += buckets.get(index) ?? 0;
    if (seen >= rank) return Math.round(bucketValue(index));
  }
  return undefined;
}

/** Nearest-rank percentile of exact values (the history endpoint has them). */
export function exactPercentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1];
}
