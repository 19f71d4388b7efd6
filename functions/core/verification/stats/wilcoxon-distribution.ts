/**
 * The exact null distribution of the Mann-Whitney statistic W (the number of pairs with x > y) for samples of
 * m and n observations without ties, as R's `dwilcox`/`pwilcox`/`qwilcox`. Counts come from the recurrence
 * N(w; m, n) = N(w − n; m − 1, n) + N(w; m, n − 1) (the largest observation is either an x, above all n y's,
 * or a y): only additions of positive numbers, so the tails stay exact in floating point, unlike expanding
 * the Gaussian binomial coefficient with subtractions. Cost O(m²n²/4): about 1.5 M additions at 49 × 49.
 */

/** Exact tables are built only below this size per side (R's `wilcox.test` rule: exact when n < 50). */
export const EXACT_MAX_PER_SIDE = 49;

const cache = new Map<string, Float64Array>();

/** cdf[w] = P(W ≤ w) for w = 0 … m·n. */
export function wilcoxonCdf(m: number, n: number): Float64Array {
  const small = Math.min(m, n);
  const large = Math.max(m, n);
  const key = `${small},${large}`;
  const hit = cache.get(key);
  if (hit) return hit;
  // rows[j] holds the counts for (j, k) as k grows from 0 to `large`; the distribution is symmetric in (m, n).
  let rows: Float64Array[] = Array.from({ length: small + 1 }, () => Float64Array.of(1));
  for (let k = 1; k <= large; k++) {
    const next: Float64Array[] = [Float64Array.of(1)];
    for (let j = 1; j <= small; j++) {
      const counts = new Float64Array(j * k + 1);
      const sameJ = rows[j]!; // (j, k − 1)
      for (let w = 0; w < sameJ.length; w++) counts[w]! += sameJ[w]!;
      const fewerJ = next[j - 1]!; // (j − 1, k), shifted by k
      for (let w = 0; w < fewerJ.length; w++) counts[w + k]! += fewerJ[w]!;
      next.push(counts);
    }
    rows = next;
  }
  const counts = rows[small]!;
  let total = 0;
  for (const c of counts) total += c;
  const cdf = new Float64Array(counts.length);
  let running = 0;
  for (let w = 0; w < counts.length; w++) {
    running += counts[w]!;
    cdf[w] = running / total;
  }
  cache.set(key, cdf);
  return cdf;
}

/** P(W ≤ w); 0 below the support, 1 above it. */
export function wilcoxonLowerTail(w: number, m: number, n: number): number {
  const cdf = wilcoxonCdf(m, n);
  const at = Math.floor(w);
  if (at < 0) return 0;
  if (at >= cdf.length) return 1;
  return cdf[at]!;
}

/** The smallest w with P(W ≤ w) ≥ p, as R's `qwilcox`. */
export function wilcoxonQuantile(p: number, m: number, n: number): number {
  const cdf = wilcoxonCdf(m, n);
  // R compares with a small fuzz so that p equal to a cdf step lands on that step.
  const target = p * (1 - 64 * Number.EPSILON);
  for (let w = 0; w < cdf.length; w++) if (cdf[w]! >= target) return w;
  return cdf.length - 1;
}
