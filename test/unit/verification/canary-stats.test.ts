import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { spendingBoundaries } from '../../../functions/core/verification/stats/alpha-spending.js';
import { hodgesLehmann } from '../../../functions/core/verification/stats/hodges-lehmann.js';
import { mannWhitney } from '../../../functions/core/verification/stats/mann-whitney.js';
import { PairwiseDifferences } from '../../../functions/core/verification/stats/pairwise-differences.js';
import { poissonRateTest } from '../../../functions/core/verification/stats/poisson-rate-test.js';
import { weightedSample } from '../../../functions/core/verification/stats/weighted-sample.js';

/** Reference values from R (wilcox.test, poisson.test, rpact), made by scripts/canary-stats-oracle.R. */
type Num = number | 'Infinity' | '-Infinity';
const oracle = JSON.parse(
  readFileSync(new URL('../../fixtures/canary-stats-oracle.json', import.meta.url), 'utf8'),
) as {
  mannWhitney: {
    label: string;
    x: number[];
    y: number[];
    xWeights: number[] | null;
    yWeights: number[] | null;
    exact: boolean;
    W: number;
    pTwoSided: number;
    pGreater: number;
    pLess: number;
    estimate: number;
    confInt: [number, number];
  }[];
  poissonRate: {
    x1: number;
    t1: number;
    x2: number;
    t2: number;
    pTwoSided: number;
    pGreater: number;
    pLess: number;
    rateRatio: Num;
    confInt: [Num, Num];
  }[];
  spending: { planned: number; level: number; sides: 1 | 2; z: Num[]; nominal: number[] }[];
};
const real = (v: Num): number => (v === 'Infinity' ? Number.POSITIVE_INFINITY : v === '-Infinity' ? -Infinity : v);
const close = (actual: number, expected: number, rel: number) => {
  if (!Number.isFinite(expected)) return expect(actual).toBe(expected);
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(Math.abs(expected), 1e-300));
};

describe('Mann-Whitney U against published worked examples', () => {
  it("Aesop's tortoise and hare (finishing order T H H H H H T T T T T H): U_T = 11, U_H = 25", () => {
    // Positions 1…12 in finishing order; a smaller position is a better finish, so "beats" = lower value.
    const order = 'THHHHHTTTTTH';
    const tortoises = [...order].flatMap((c, i) => (c === 'T' ? [i + 1] : []));
    const hares = [...order].flatMap((c, i) => (c === 'H' ? [i + 1] : []));
    const r = mannWhitney(weightedSample(hares), weightedSample(tortoises));
    // W counts pairs with hare position > tortoise position, i.e. the races the tortoises win.
    expect(r.w).toBe(11);
    expect(6 * 6 - r.w).toBe(25);
    expect(r.u).toBe(11);
  });

  it("R's ?wilcox.test example (Hollander & Wolfe): W = 35, one-sided p = 0.1272", () => {
    const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    const y = [1.15, 0.88, 0.9, 0.74, 1.21];
    const r = mannWhitney(weightedSample(x), weightedSample(y));
    expect(r.method).toBe('exact');
    expect(r.w).toBe(35);
    expect(r.pGreater.toFixed(4)).toBe('0.1272');
  });
});

describe('Mann-Whitney U and Hodges–Lehmann against R', () => {
  for (const c of oracle.mannWhitney) {
    it(`${c.label}: W, the three p-values, the shift and its 95% interval`, () => {
      const x = weightedSample(c.x, c.xWeights ?? undefined);
      const y = weightedSample(c.y, c.yWeights ?? undefined);
      const r = mannWhitney(x, y);
      expect(r.method).toBe(c.exact ? 'exact' : 'normal');
      expect(r.w).toBe(c.W);
      close(r.pTwoSided, c.pTwoSided, 1e-9);
      close(r.pGreater, c.pGreater, 1e-9);
      close(r.pLess, c.pLess, 1e-9);
      const hl = hodgesLehmann(x, y, 0.95, r)!;
      if (c.exact) {
        // Same order statistics as R: equal to rounding of the differences.
        close(hl.estimate, c.estimate, 1e-12);
        close(hl.lower, c.confInt[0], 1e-12);
        close(hl.upper, c.confInt[1], 1e-12);
      } else {
        // R root-finds the continuity-corrected statistic; the order-statistic rule lands on the neighbouring
        // difference (here within 0.01% of the interval's width; 0.5% allowed).
        const width = c.confInt[1] - c.confInt[0];
        expect(Math.abs(hl.estimate - c.estimate)).toBeLessThanOrEqual(0.005 * width);
        expect(Math.abs(hl.lower - c.confInt[0])).toBeLessThanOrEqual(0.005 * width);
        expect(Math.abs(hl.upper - c.confInt[1])).toBeLessThanOrEqual(0.005 * width);
      }
    });
  }

  it('bucketed input (values with counts) gives the same statistic as the expanded sample', () => {
    const c = oracle.mannWhitney.find((m) => m.label === 'bucketed-latency')!;
    const expand = (v: number[], w: number[]) => v.flatMap((x, i) => Array<number>(w[i]!).fill(x));
    const weighted = mannWhitney(weightedSample(c.x, c.xWeights!), weightedSample(c.y, c.yWeights!));
    const expanded = mannWhitney(weightedSample(expand(c.x, c.xWeights!)), weightedSample(expand(c.y, c.yWeights!)));
    expect(weighted).toEqual(expanded);
  });
});

describe('order statistics of the pairwise differences', () => {
  it('the selection matches sorting every difference, for random bucketed and unbucketed samples', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (const bucketed of [false, true]) {
      const raw = (n: number) => Array.from({ length: n }, () => (bucketed ? Math.round(rand() * 40) : rand() * 1000));
      const xs = raw(300);
      const ys = raw(250);
      const all = xs.flatMap((a) => ys.map((b) => a - b)).sort((a, b) => a - b);
      const diffs = new PairwiseDifferences(weightedSample(xs), weightedSample(ys));
      for (const k of [1, 2, 777, 37_500, 37_501, 60_000, 74_999, 75_000]) expect(diffs.kth(k)).toBe(all[k - 1]);
    }
  });
});

describe('Poisson rate test against R poisson.test', () => {
  it("R's ?poisson.test example: p = 0.07967, rate ratio 1.971488, 95% CI 0.8584264…4.2772659", () => {
    const r = poissonRateTest(11, 800, 6 + 8 + 7, 1083 + 1050 + 878, 0.95);
    expect(r.pTwoSided.toFixed(5)).toBe('0.07967');
    expect(r.rateRatio.toFixed(6)).toBe('1.971488');
    expect([r.lower.toFixed(7), r.upper.toFixed(7)]).toEqual(['0.8584264', '4.2772659']);
  });

  for (const c of oracle.poissonRate) {
    it(`${c.x1}/${c.t1} against ${c.x2}/${c.t2}`, () => {
      const r = poissonRateTest(c.x1, c.t1, c.x2, c.t2, 0.95);
      close(r.pTwoSided, c.pTwoSided, 1e-9);
      close(r.pGreater, c.pGreater, 1e-9);
      close(r.pLess, c.pLess, 1e-9);
      close(r.rateRatio, real(c.rateRatio), 1e-12);
      close(r.lower, real(c.confInt[0]), 1e-7);
      close(r.upper, real(c.confInt[1]), 1e-7);
    });
  }
});

describe("O'Brien–Fleming alpha-spending boundaries against rpact", () => {
  for (const c of oracle.spending) {
    it(`${c.planned} looks, ${c.sides}-sided, level ${c.level}`, () => {
      const b = spendingBoundaries(c.planned, c.level, c.sides);
      b.z.forEach((z, i) => {
        // rpact rounds the α spent at the first looks of 20 (below 1e-12) to nothing and reports ∞, which
        // also moves its next boundary; compare where both spend a measurable amount.
        const expected = real(c.z[i]!);
        if (c.nominal[i]! > 1e-7) {
          expect(Math.abs(z - expected)).toBeLessThan(2e-3);
          close(b.nominal[i]!, c.nominal[i]!, 0.01);
        } else expect(z).toBeGreaterThan(5.5);
      });
    });
  }
});
