/**
 * A sample as sorted distinct values with their counts. Latency samples from rollups arrive bucketed (one value
 * per log bucket with its count, see telemetry/sketch.ts), so every statistic here works on (value, count)
 * pairs: 10,000 requests in 300 buckets cost 300 steps, not 10,000.
 */
export interface WeightedSample {
  /** Distinct finite values, ascending. */
  readonly values: Float64Array;
  /** Count of each value (positive integers), parallel to `values`. */
  readonly counts: Float64Array;
  /** Sum of the counts: the number of observations. */
  readonly n: number;
  /** Observations left out because their value was not a finite number or their count not a positive integer. */
  readonly dropped: number;
}

/**
 * Sorts and merges `values` (with optional parallel `weights`, absent = 1 each). Bad entries are counted in
 * `dropped`, never thrown: a verification judges what it has and says what it left out.
 */
export function weightedSample(values: readonly number[], weights?: readonly number[]): WeightedSample {
  const pairs: [number, number][] = [];
  let dropped = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const w = weights ? weights[i] : 1;
    if (typeof w !== 'number' || !Number.isInteger(w) || w <= 0) {
      dropped += typeof w === 'number' && Number.isFinite(w) && w > 0 ? Math.ceil(w) : 1;
      continue;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      dropped += w;
      continue;
    }
    pairs.push([v, w]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  const counts: number[] = [];
  let n = 0;
  for (const [v, w] of pairs) {
    n += w;
    if (out.length > 0 && out[out.length - 1] === v) counts[counts.length - 1]! += w;
    else {
      out.push(v);
      counts.push(w);
    }
  }
  return { values: Float64Array.from(out), counts: Float64Array.from(counts), n, dropped };
}

/** The weighted median (mean of the two middle observations when n is even); NaN for an empty sample. */
export function weightedMedian(sample: WeightedSample): number {
  if (sample.n === 0) return Number.NaN;
  const lowRank = Math.floor((sample.n + 1) / 2);
  const highRank = Math.floor(sample.n / 2) + 1;
  return (valueAtRank(sample, lowRank) + valueAtRank(sample, highRank)) / 2;
}

/** The observation at 1-based rank `rank` (ascending). */
function valueAtRank(sample: WeightedSample, rank: number): number {
  let seen = 0;
  for (let i = 0; i < sample.values.length; i++) {
    seen += sample.counts[i]!;
    if (seen >= rank) return sample.values[i]!;
  }
  return sample.values[sample.values.length - 1]!;
}
