import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { PairwiseDifferences } from './pairwise-differences.js';
import type { WeightedSample } from './weighted-sample.js';
import { EXACT_MAX_PER_SIDE, wilcoxonQuantile } from './wilcoxon-distribution.js';

/**
 * Hodges–Lehmann shift of x against y (the median of all differences x − y) and its two-sided confidence
 * interval by Moses' method: the interval between the order statistics of the differences that the U
 * distribution puts at α/2 from either end.
 * - Exact (both sides < 50 observations, no ties): k = qwilcox(α/2, m, n), interval [D(k), D(mn − k + 1)],
 *   exactly as R's `wilcox.test(conf.int = TRUE)`.
 * - Otherwise k = round(mn/2 − z(1−α/2)·σ), σ the tie-corrected standard deviation of U (Hollander & Wolfe's
 *   large-sample rule). R finds the same bounds by root-finding on the continuity-corrected statistic; the
 *   two agree to within a step between neighbouring differences (the tests check this against R).
 */
export interface HodgesLehmannResult {
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
  readonly confLevel: number;
  readonly method: 'exact' | 'normal';
  /** The 1-based ranks of the differences that bound the interval. */
  readonly ranks: readonly [number, number];
}

export function hodgesLehmann(
  x: WeightedSample,
  y: WeightedSample,
  confLevel: number,
  ties: { readonly tiedGroups: number; readonly tieTerm: number },
): HodgesLehmannResult | undefined {
  const m = x.n;
  const n = y.n;
  if (m === 0 || n === 0) return undefined;
  const diffs = new PairwiseDifferences(x, y);
  const total = diffs.total;
  const estimate = total % 2 === 1 ? diffs.kth((total + 1) / 2) : (diffs.kth(total / 2) + diffs.kth(total / 2 + 1)) / 2;
  const alpha = 1 - confLevel;
  const exact = m <= EXACT_MAX_PER_SIDE && n <= EXACT_MAX_PER_SIDE && ties.tiedGroups === 0;
  let k: number;
  if (exact) k = Math.max(1, wilcoxonQuantile(alpha / 2, m, n));
  else {
    const sigma = Math.sqrt(((m * n) / 12) * (m + n + 1 - ties.tieTerm / ((m + n) * (m + n - 1))));
    k = Math.max(1, Math.round((m * n) / 2 - normalQuantile(1 - alpha / 2, 0, 1) * sigma));
  }
  const upperRank = Math.max(k, total - k + 1);
  return {
    estimate,
    lower: diffs.kth(k),
    upper: diffs.kth(upperRank),
    confLevel,
    method: exact ? 'exact' : 'normal',
    ranks: [k, upperRank],
  };
}
