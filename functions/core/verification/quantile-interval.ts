import type { Histogram } from './ports.js';

/**
 * Quantiles of a weighted sample (bucket values with counts), and a distribution-free 95% interval for a
 * quantile from order statistics: with n observations the q-quantile lies between the observations of
 * ranks n·q ∓ 1.96·√(n·q·(1−q)) with about 95% probability (normal approximation of the binomial).
 */
const Z95 = 1.959963984540054;

/** The value of rank `rank` (1-based) in the weighted sample. */
export function valueAtRank(h: Pick<Histogram, 'values' | 'weights'>, rank: number): number | undefined {
  let seen = 0;
  for (let i = 0; i < h.values.length; i++) {
    seen += h.weights[i] ?? 0;
    if (seen >= rank) return h.values[i];
  }
  return h.values[h.values.length - 1];
}

const sizeOf = (h: Pick<Histogram, 'weights'>) => h.weights.reduce((a, b) => a + b, 0);

/** Nearest-rank q-quantile (the same rule as the query API's percentiles). */
export function weightedQuantile(h: Pick<Histogram, 'values' | 'weights'>, q: number): number | undefined {
  const n = sizeOf(h);
  if (n <= 0) return undefined;
  return valueAtRank(h, Math.max(1, Math.ceil(q * n)));
}

export interface QuantileEstimate {
  readonly value: number;
  readonly low: number;
  readonly high: number;
  readonly n: number;
}

export function quantileWithInterval(
  h: Pick<Histogram, 'values' | 'weights'>,
  q: number,
): QuantileEstimate | undefined {
  const n = sizeOf(h);
  const value = weightedQuantile(h, q);
  if (value === undefined) return undefined;
  const half = Z95 * Math.sqrt(n * q * (1 - q));
  const lowRank = Math.max(1, Math.floor(n * q - half));
  const highRank = Math.min(n, Math.ceil(n * q + half) + 1);
  return { value, low: valueAtRank(h, lowRank) ?? value, high: valueAtRank(h, highRank) ?? value, n };
}

/**
 * The relative change of a quantile (after / before − 1) with a conservative 95% interval: the ratio of
 * the two intervals' opposite ends (each side's interval holds with 95%, so this one holds with at least 90%,
 * and in practice near 95% since both rarely miss at once; it is reported as such).
 */
export function relativeChange(
  before: QuantileEstimate,
  after: QuantileEstimate,
): { pct: number; low: number; high: number } {
  const pct = (after.value / before.value - 1) * 100;
  const low = (after.low / before.high - 1) * 100;
  const high = (after.high / Math.max(before.low, Number.MIN_VALUE) - 1) * 100;
  return { pct, low, high };
}
