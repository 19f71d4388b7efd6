import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import binomialCdf from '@stdlib/stats-base-dists-binomial-cdf';
import binomialPmf from '@stdlib/stats-base-dists-binomial-pmf';

/**
 * Exact comparison of two Poisson rates given each side's exposure, as R's `poisson.test(c(x1, x2), c(T1, T2))`:
 * conditional on the n = x1 + x2 events, x1 ~ Binomial(n, T1 / (T1 + T2)) when the rates are equal, so the
 * test is `binom.test(x1, n, p0)` and the rate ratio's interval maps the Clopper–Pearson interval of the
 * binomial proportion p to p / (1 − p) · T2 / T1. Five errors in 1,000 canary requests against none in 10,000
 * baseline requests is p0⁵ ≈ 6·10⁻⁶: judged on the evidence, not passed because the baseline is all zeros.
 */
export interface RateTestResult {
  /** Total events n and the canary's expected share of them under equal rates. */
  readonly events: number;
  readonly exposureShare: number;
  /** H1: rate 1 > rate 2 / rate 1 < rate 2 / rates differ (R's two-sided rule: outcomes no likelier than x1). */
  readonly pGreater: number;
  readonly pLess: number;
  readonly pTwoSided: number;
  /** (x1 / T1) / (x2 / T2): Infinity when x2 = 0 < x1, NaN when no events at all. */
  readonly rateRatio: number;
  readonly lower: number;
  readonly upper: number;
  readonly confLevel: number;
}

export function poissonRateTest(x1: number, t1: number, x2: number, t2: number, confLevel: number): RateTestResult {
  const n = x1 + x2;
  const p0 = t1 / (t1 + t2);
  const rateRatio = x1 / t1 / (x2 / t2);
  if (n === 0) {
    return {
      events: 0,
      exposureShare: p0,
      pGreater: 1,
      pLess: 1,
      pTwoSided: 1,
      rateRatio,
      lower: 0,
      upper: Number.POSITIVE_INFINITY,
      confLevel,
    };
  }
  // P(X ≥ x1) as the lower tail of the complementary binomial, so tiny p-values keep their digits.
  const pGreater = binomialCdf(n - x1, n, 1 - p0);
  const pLess = binomialCdf(x1, n, p0);
  const alpha = 1 - confLevel;
  const pLow = x1 === 0 ? 0 : betaQuantile(alpha / 2, x1, n - x1 + 1);
  const pHigh = x1 === n ? 1 : betaQuantile(1 - alpha / 2, x1 + 1, n - x1);
  const toRatio = (p: number) => (p >= 1 ? Number.POSITIVE_INFINITY : (p / (1 - p)) * (t2 / t1));
  return {
    events: n,
    exposureShare: p0,
    pGreater,
    pLess,
    pTwoSided: twoSided(x1, n, p0),
    rateRatio,
    lower: toRatio(pLow),
    upper: toRatio(pHigh),
    confLevel,
  };
}

/** R's `binom.test` two-sided p-value: the probability of outcomes no likelier than x (relative fuzz 1e-7). */
function twoSided(x: number, n: number, p: number): number {
  const d = binomialPmf(x, n, p) * (1 + 1e-7);
  const mean = n * p;
  if (x === mean) return 1;
  if (x < mean) {
    // Outcomes above the mean no likelier than x: the pmf falls on [ceil(mean), n], so bisect for the first.
    const first = firstAtMost(Math.ceil(mean), n, (i) => binomialPmf(i, n, p) <= d);
    const upper = first > n ? 0 : binomialCdf(n - first, n, 1 - p);
    return Math.min(1, binomialCdf(x, n, p) + upper);
  }
  // Outcomes below the mean no likelier than x: the pmf rises on [0, floor(mean)], so bisect for the last.
  const last = firstAtMost(0, Math.floor(mean), (i) => !(binomialPmf(i, n, p) <= d)) - 1;
  const lower = last < 0 ? 0 : binomialCdf(last, n, p);
  return Math.min(1, lower + binomialCdf(n - x, n, 1 - p));
}

/** The first i in [from, to] where `test` holds, for a test that is false then true along the range (to + 1 if never). */
function firstAtMost(from: number, to: number, test: (i: number) => boolean): number {
  let lo = from;
  let hi = to + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (test(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
