import type { WeightedSample } from './weighted-sample.js';

/**
 * Order statistics of the m·n pairwise differences x − y without building them: a selection over the implicit
 * sorted difference matrix. Both samples are sorted distinct values with counts, so "how many differences are
 * ≤ t" is one merge-like pass (O(distinct x + distinct y)); bisection on t narrows to a window of at most
 * about (distinct x + distinct y) differences, which are then listed and sorted. 10,000 × 10,000 samples (10⁸ differences) take a few
 * dozen passes of 20,000 steps each instead of sorting 10⁸ numbers.
 */
/** Smallest window worth listing rather than bisecting further. */
const MIN_WINDOW = 1_000;

export class PairwiseDifferences {
  readonly total: number;
  readonly #x: WeightedSample;
  readonly #y: WeightedSample;
  /** suffix[j] = observations of y at indices ≥ j. */
  readonly #suffix: Float64Array;

  constructor(x: WeightedSample, y: WeightedSample) {
    this.#x = x;
    this.#y = y;
    this.total = x.n * y.n;
    const suffix = new Float64Array(y.values.length + 1);
    for (let j = y.values.length - 1; j >= 0; j--) suffix[j] = suffix[j + 1]! + y.counts[j]!;
    this.#suffix = suffix;
  }

  /** Number of differences x − y that are ≤ t (as computed in floating point, which is monotone). */
  countAtMost(t: number): number {
    const xs = this.#x.values;
    const ys = this.#y.values;
    const xc = this.#x.counts;
    const suffix = this.#suffix;
    let j = 0;
    let count = 0;
    for (let i = 0; i < xs.length; i++) {
      // As x grows, the first y with x − y ≤ t moves right.
      while (j < ys.length && xs[i]! - ys[j]! > t) j++;
      count += xc[i]! * suffix[j]!;
    }
    return count;
  }

  /** The k-th smallest difference, 1-based (k is clamped to 1 … total). */
  kth(k: number): number {
    const xs = this.#x.values;
    const ys = this.#y.values;
    const rank = Math.min(Math.max(1, Math.round(k)), this.total);
    let lo = xs[0]! - ys[ys.length - 1]!;
    let hi = xs[xs.length - 1]! - ys[0]!;
    let countLo = this.countAtMost(lo);
    if (countLo >= rank) return lo;
    let countHi = this.total;
    const window = Math.max(MIN_WINDOW, xs.length + ys.length);
    while (countHi - countLo > window) {
      const mid = lo + (hi - lo) / 2;
      // lo and hi are adjacent doubles: every difference in (lo, hi] is hi.
      if (mid <= lo || mid >= hi) return hi;
      const c = this.countAtMost(mid);
      if (c >= rank) {
        hi = mid;
        countHi = c;
      } else {
        lo = mid;
        countLo = c;
      }
    }
    return this.#pickInWindow(lo, hi, rank - countLo, countHi - countLo);
  }

  /** The `rank`-th smallest of the differences in (lo, hi]. */
  #pickInWindow(lo: number, hi: number, rank: number, size: number): number {
    const xs = this.#x.values;
    const ys = this.#y.values;
    const diffs = new Float64Array(size);
    const weights = new Float64Array(size);
    let filled = 0;
    let weighted = false;
    let jHi = 0; // first y with x − y ≤ hi
    let jLo = 0; // first y with x − y ≤ lo
    for (let i = 0; i < xs.length; i++) {
      while (jHi < ys.length && xs[i]! - ys[jHi]! > hi) jHi++;
      while (jLo < ys.length && xs[i]! - ys[jLo]! > lo) jLo++;
      for (let j = jHi; j < jLo; j++) {
        diffs[filled] = xs[i]! - ys[j]!;
        const w = this.#x.counts[i]! * this.#y.counts[j]!;
        weights[filled++] = w;
        if (w !== 1) weighted = true;
      }
    }
    const used = diffs.subarray(0, filled);
    if (!weighted) {
      // Raw samples: every difference counts once, so a typed-array sort and an index will do.
      used.sort();
      return used[Math.min(rank, filled) - 1] ?? hi;
    }
    const order = Array.from({ length: filled }, (_, k) => k).sort((a, b) => used[a]! - used[b]!);
    let seen = 0;
    for (const k of order) {
      seen += weights[k]!;
      if (seen >= rank) return used[k]!;
    }
    return hi;
  }
}
