import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import type { WeightedSample } from './weighted-sample.js';
import { EXACT_MAX_PER_SIDE, wilcoxonLowerTail } from './wilcoxon-distribution.js';

/**
 * Mann-Whitney U (Wilcoxon rank-sum) test of x against y, as R's `wilcox.test(x, y, correct = TRUE)`:
 * midranks for ties, the exact distribution when both samples have fewer than 50 observations and no value
 * repeats (within or across samples), otherwise the normal approximation with the tie-corrected variance and
 * a continuity correction of ½ towards the mean.
 */
export interface MannWhitneyResult {
  /** R's W: the sum of x's ranks − m(m + 1)/2, i.e. the pairs with x > y plus half the tied pairs. */
  readonly w: number;
  /** U of the smaller of the two (min(W, m·n − W)), the textbook form. */
  readonly u: number;
  readonly m: number;
  readonly n: number;
  readonly method: 'exact' | 'normal';
  /** Standardised statistic of the normal approximation (two-sided continuity correction); absent when exact. */
  readonly z?: number;
  /** Number of tied groups (values seen more than once across both samples). */
  readonly tiedGroups: number;
  /** Σ(t³ − t) over the tied groups (the variance's tie correction). */
  readonly tieTerm: number;
  /** H1: x tends to be larger than y. */
  readonly pGreater: number;
  /** H1: x tends to be smaller than y. */
  readonly pLess: number;
  readonly pTwoSided: number;
}

export function mannWhitney(x: WeightedSample, y: WeightedSample): MannWhitneyResult {
  const m = x.n;
  const n = y.n;
  let rankSumX = 0;
  let below = 0;
  let tieTerm = 0;
  let tiedGroups = 0;
  // Walk both sorted samples together, one distinct value at a time.
  let i = 0;
  let j = 0;
  while (i < x.values.length || j < y.values.length) {
    const vx = i < x.values.length ? x.values[i]! : Number.POSITIVE_INFINITY;
    const vy = j < y.values.length ? y.values[j]! : Number.POSITIVE_INFINITY;
    const v = Math.min(vx, vy);
    const a = vx === v ? x.counts[i++]! : 0;
    const b = vy === v ? y.counts[j++]! : 0;
    const t = a + b;
    rankSumX += a * (below + (t + 1) / 2);
    below += t;
    if (t > 1) {
      tieTerm += t ** 3 - t;
      tiedGroups++;
    }
  }
  const w = rankSumX - (m * (m + 1)) / 2;
  const u = Math.min(w, m * n - w);
  const base = { w, u, m, n, tiedGroups, tieTerm };
  if (m === 0 || n === 0) return { ...base, method: 'normal', pGreater: 1, pLess: 1, pTwoSided: 1 };
  if (m <= EXACT_MAX_PER_SIDE && n <= EXACT_MAX_PER_SIDE && tiedGroups === 0) {
    // P(W ≥ w) through the symmetry of W about m·n/2, so a small upper tail keeps its digits.
    const pGreater = wilcoxonLowerTail(m * n - w, m, n);
    const pLess = wilcoxonLowerTail(w, m, n);
    const pTwoSided = Math.min(1, 2 * (w > (m * n) / 2 ? pGreater : pLess));
    return { ...base, method: 'exact', pGreater, pLess, pTwoSided };
  }
  const centred = w - (m * n) / 2;
  const sigma = Math.sqrt(((m * n) / 12) * (m + n + 1 - tieTerm / ((m + n) * (m + n - 1))));
  // Every observation equal: no ordering at all, so no evidence either way.
  if (!(sigma > 0)) return { ...base, method: 'normal', z: 0, pGreater: 1, pLess: 1, pTwoSided: 1 };
  const upper = (zz: number) => normalCdf(-zz, 0, 1);
  const pGreater = upper((centred - 0.5) / sigma);
  const pLess = normalCdf((centred + 0.5) / sigma, 0, 1);
  const z = (centred - Math.sign(centred) * 0.5) / sigma;
  const pTwoSided = Math.min(1, 2 * Math.min(normalCdf(z, 0, 1), upper(z)));
  return { ...base, method: 'normal', z, pGreater, pLess, pTwoSided };
}
