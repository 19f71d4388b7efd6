import { describe, expect, it } from 'vitest';
import {
  type CanaryMetricSpec,
  type CanarySamples,
  judgeCanary,
  judgeMetric,
} from '../../../functions/core/verification/canary-judge.js';
import { lookBoundary } from '../../../functions/core/verification/look-boundary.js';
import { mannWhitney } from '../../../functions/core/verification/stats/mann-whitney.js';
import { weightedSample } from '../../../functions/core/verification/stats/weighted-sample.js';

/** Seeded uniform PRNG (mulberry32), so every sample here is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** Latency-like samples: lognormal around `median` ms (Box–Muller). */
const latencies = (rand: () => number, n: number, median: number) =>
  Array.from(
    { length: n },
    () => median * Math.exp(0.3 * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())),
  );

const latency: CanaryMetricSpec = {
  name: 'http.server.duration',
  kind: 'continuous',
  direction: 'increase',
  allowedIncreasePct: 10,
  critical: false,
};
const errors: CanaryMetricSpec = { name: 'errors', kind: 'count', direction: 'increase', critical: true };
const final = { index: 10, planned: 10, final: true } as const;
const cont = (baseline: number[], canary: number[]): CanarySamples => ({
  kind: 'continuous',
  baseline,
  canary,
  describe: 'request latency in ms',
});
const count = (
  canaryEvents: number,
  canaryTotal: number,
  baselineEvents: number,
  baselineTotal: number,
): CanarySamples => ({
  kind: 'count',
  canaryEvents,
  canaryTotal,
  baselineEvents,
  baselineTotal,
  describe: 'requests',
});

describe('continuous metrics', () => {
  const rand = prng(1);
  const baseline = latencies(rand, 400, 212);

  it('a canary 40% slower fails, with the shift and its interval in the reason', () => {
    const j = judgeMetric(latency, cont(baseline, latencies(rand, 400, 300)), final);
    expect(j.outcome).toBe('fail');
    expect(j.reason.code).toBe('canary-regression');
    expect(j.reason.message).toMatch(
      /^http\.server\.duration: median rose from 2\d\d to 2\d\d \(shift [\d.]+, \+\d+%, 95% CI \+\d+%…\+\d+%\), beyond the allowed 10%; p = /,
    );
    const e = j.evidence as { estimatePct: number; intervalPct: [number, number]; pValue: number; boundary: number };
    expect(e.estimatePct).toBeGreaterThan(30);
    expect(e.intervalPct[0]).toBeLessThan(e.estimatePct);
    expect(e.intervalPct[1]).toBeGreaterThan(e.estimatePct);
    expect(e.pValue).toBeLessThan(e.boundary);
  });

  it('a 4% slower canary is significant with 4,000 samples a side but within the 10% margin: pass', () => {
    const r = prng(2);
    const j = judgeMetric(latency, cont(latencies(r, 4000, 212), latencies(r, 4000, 212 * 1.04)), final);
    expect((j.evidence as { pValue: number; boundary: number }).pValue).toBeLessThan(0.001);
    expect(j.outcome).toBe('pass');
    expect(j.reason.code).toBe('canary-within-margin');
  });

  it('the same 4% with no margin fails; a faster canary never fails an "increase" metric', () => {
    const r = prng(2);
    const b = latencies(r, 4000, 212);
    const c = latencies(r, 4000, 212 * 1.04);
    expect(judgeMetric({ ...latency, allowedIncreasePct: undefined }, cont(b, c), final).outcome).toBe('fail');
    expect(judgeMetric({ ...latency, allowedIncreasePct: undefined }, cont(c, b), final).outcome).toBe('pass');
    expect(
      judgeMetric({ ...latency, direction: 'decrease', allowedIncreasePct: undefined }, cont(c, b), final).outcome,
    ).toBe('fail');
  });

  it('fewer than 20 samples a side is insufficient-data with what it has and needs, never pass or fail', () => {
    const j = judgeMetric(latency, cont(baseline, latencies(rand, 12, 900)), final);
    expect(j.outcome).toBe('insufficient-data');
    expect(j.needed).toEqual({ have: 12, need: 20, unit: 'samples per side' });
  });

  it('bucketed samples (value, count) judge like the raw ones', () => {
    const values = [100, 102, 104, 106, 108, 110, 112, 114];
    const j = judgeMetric(
      latency,
      {
        kind: 'continuous',
        describe: 'latency in ms, bucketed at ±1%',
        baseline: values,
        baselineWeights: [50, 200, 400, 300, 150, 60, 20, 10],
        canary: values.map((v) => v * 1.2),
        canaryWeights: [5, 20, 40, 30, 15, 6, 2, 1],
      },
      final,
    );
    expect(j.outcome).toBe('fail');
    expect(j.evidence).toMatchObject({ nBaseline: 1190, nCanary: 119, method: 'normal' });
  });

  it('bad values are dropped and counted, not thrown', () => {
    const j = judgeMetric(
      latency,
      cont([...baseline, Number.NaN], [...baseline.slice(0, 50), Number.POSITIVE_INFINITY]),
      final,
    );
    expect(j.outcome).toBe('pass');
    expect(j.evidence).toMatchObject({ dropped: 2, nCanary: 50 });
  });
});

describe('count metrics', () => {
  it('5 errors in 1,000 canary requests against 0 in 10,000 baseline fail at the final look', () => {
    const j = judgeMetric(errors, count(5, 1000, 0, 10000), final);
    expect(j.outcome).toBe('fail');
    expect(j.reason.code).toBe('canary-rate-increase');
    expect((j.evidence as { pValue: number }).pValue).toBeCloseTo(6.209213e-6, 10);
  });

  it("Kayenta's trap: 1 error against an all-zero baseline with little traffic is not a pass", () => {
    const j = judgeMetric(errors, count(1, 200, 0, 200), final);
    expect(j.outcome).toBe('insufficient-data');
    expect(j.needed?.unit).toBe('events');
    expect(j.needed!.need).toBeGreaterThan(1);
  });

  it('no errors on either side with enough traffic passes; too little traffic is insufficient', () => {
    expect(judgeMetric(errors, count(0, 5000, 0, 5000), final).outcome).toBe('pass');
    expect(judgeMetric(errors, count(0, 40, 0, 5000), final).needed).toEqual({
      have: 40,
      need: 100,
      unit: 'requests per side',
    });
  });

  it('a small rise within an absolute margin passes; a rate no higher than the baseline passes', () => {
    expect(judgeMetric({ ...errors, allowedIncreaseAbs: 0.01 }, count(50, 10000, 10, 10000), final).outcome).toBe(
      'pass',
    );
    expect(judgeMetric(errors, count(10, 10000, 12, 10000), final).outcome).toBe('pass');
  });

  it('negative or fractional counts are insufficient-data with a reason, not a crash', () => {
    expect(judgeMetric(errors, count(-1, 100, 0, 100), final).reason.code).toBe('canary-invalid-counts');
  });
});

describe('repeated looks', () => {
  it('5 errors in 1,000 against 0 in 10,000 do not stop a 10-look canary at look 1 (boundary ~1e-12), but 30 do at look 3', () => {
    expect(judgeMetric(errors, count(5, 1000, 0, 10000), { index: 1, planned: 10, final: false }).outcome).toBe(
      'insufficient-data',
    );
    const j = judgeCanary(
      [{ spec: errors, samples: count(30, 3000, 0, 30000) }],
      { index: 3, planned: 10, final: false },
      { passScore: 95, marginalScore: 75 },
    );
    expect(j.outcome).toBe('fail');
    expect(j.stopEarly).toBe(true);
  });

  // 2,000 canaries with no true difference, each judged at 10 looks as 20 more samples a side arrive
  // (exact test at look 1, normal approximation from look 2): a canary "false-fails" if any look fails it.
  // With no margin a continuous metric fails exactly when its p-value reaches the look's boundary (the
  // Hodges–Lehmann estimate of two continuous samples is never exactly 0), so the 20,000 looks run through
  // the test and the boundary the judge uses; a subset checks that judgeMetric decides the same.
  const simulate = (runs: number, corrected: boolean, direction: CanaryMetricSpec['direction'], viaJudge = false) => {
    const rand = prng(42);
    const spec: CanaryMetricSpec = { name: 'latency', kind: 'continuous', direction, critical: false };
    let falseFails = 0;
    let disagreements = 0;
    for (let run = 0; run < runs; run++) {
      const baseline: number[] = [];
      const canary: number[] = [];
      for (let look = 1; look <= 10; look++) {
        for (let i = 0; i < 20; i++) {
          baseline.push(rand());
          canary.push(rand());
        }
        const at = corrected ? { index: look, planned: 10, final: look === 10 } : { index: 1, planned: 1, final: true };
        const mw = mannWhitney(weightedSample(canary), weightedSample(baseline));
        const p = direction === 'either' ? mw.pTwoSided : direction === 'increase' ? mw.pGreater : mw.pLess;
        const fails = p <= lookBoundary(direction, at, 0.05).nominal;
        if (viaJudge && (judgeMetric(spec, cont(baseline, canary), at).outcome === 'fail') !== fails) disagreements++;
        if (fails) {
          falseFails++;
          break;
        }
      }
    }
    return { rate: falseFails / runs, disagreements };
  };

  it('with the spending boundary the false-fail rate over 10 looks stays at alpha; judging each look alone does not', () => {
    const corrected = simulate(2000, true, 'either').rate;
    const naive = simulate(2000, false, 'either').rate;
    // α = 5%; +1.5 points is about three standard errors of a rate estimated from 2,000 runs.
    expect(corrected).toBeLessThanOrEqual(0.05 + 0.015);
    expect(corrected).toBeGreaterThan(0.02);
    expect(naive).toBeGreaterThan(0.12);
    // One-sided ("increase"): the harmful tail gets α/2.
    expect(simulate(2000, true, 'increase').rate).toBeLessThanOrEqual(0.025 + 0.01);
  }, 120_000);

  it('judgeMetric makes the same decision as the test and boundary it is built on, look by look', () => {
    expect(simulate(60, true, 'either', true).disagreements).toBe(0);
    expect(simulate(60, false, 'increase', true).disagreements).toBe(0);
  }, 60_000);
});

describe('the canary score and outcome', () => {
  const r = prng(9);
  const b = latencies(r, 300, 200);
  const good = { spec: latency, samples: cont(b, latencies(r, 300, 200)) };
  const slow = { spec: latency, samples: cont(b, latencies(r, 300, 320)) };
  const thresholds = { passScore: 95, marginalScore: 50 };

  it('all passing scores 100 and passes; one of two failing scores 50 (marginal here)', () => {
    expect(judgeCanary([good, good], final, thresholds)).toMatchObject({
      score: 100,
      outcome: 'pass',
      stopEarly: false,
    });
    const half = judgeCanary([good, slow], final, thresholds);
    expect(half).toMatchObject({ score: 50, outcome: 'marginal' });
    expect(half.reasons.map((x) => x.code)).toEqual(['canary-regression', 'canary-score']);
  });

  it('a failing critical metric scores 0 and fails, and stops early at an interim look', () => {
    const j = judgeCanary(
      [good, { spec: errors, samples: count(60, 5000, 0, 50000) }],
      { index: 5, planned: 10, final: false },
      thresholds,
    );
    expect(j).toMatchObject({ score: 0, outcome: 'fail', stopEarly: true });
  });

  it('a metric short of data makes the canary insufficient-data unless the rest already fail it', () => {
    const starved = { spec: errors, samples: count(0, 10, 0, 10) };
    expect(judgeCanary([good, starved], final, thresholds).outcome).toBe('insufficient-data');
    expect(judgeCanary([slow, slow, starved], final, thresholds)).toMatchObject({ outcome: 'fail', score: 0 });
  });
});
