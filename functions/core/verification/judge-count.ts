import type { CanaryMetricSpec, CanarySamples, Look, MetricJudgement } from './canary-model.js';
import { CANARY_LIMITS } from './canary-model.js';
import { figure, pValue } from './format-figures.js';
import { marginOf } from './judge-continuous.js';
import { lookBoundary } from './look-boundary.js';
import { poissonRateTest } from './stats/poisson-rate-test.js';

type Count = Extract<CanarySamples, { kind: 'count' }>;

/**
 * A count metric (errors, 5xx) is judged by the exact conditional test of two Poisson rates given each side's
 * exposure. It fails when the test reaches this look's boundary in the harmful direction and the rate
 * difference (canary rate − baseline rate) lies beyond the margin (absolute, in events per unit of exposure, or
 * relative to the baseline rate: against an all-zero baseline that margin is zero, so sparse errors are not
 * waved through as Kayenta does). When the observed difference is harmful but not significant and could not
 * be, however the events had split (all of them in the canary would still miss the boundary), the metric is
 * `insufficient-data` with the number of events it needs, never a pass.
 */
export function judgeCount(spec: CanaryMetricSpec, samples: Count, look: Look, alpha: number): MetricJudgement {
  const common = { name: spec.name, kind: 'count' as const, critical: spec.critical };
  const { canaryEvents: x1, canaryTotal: t1, baselineEvents: x2, baselineTotal: t2 } = samples;
  const sizes = { canaryEvents: x1, canaryTotal: t1, baselineEvents: x2, baselineTotal: t2, sample: samples.describe };
  const counts = [x1, t1, x2, t2];
  if (counts.some((c) => typeof c !== 'number' || !Number.isInteger(c) || c < 0)) {
    return {
      ...common,
      outcome: 'insufficient-data',
      reason: {
        code: 'canary-invalid-counts',
        message: `${spec.name}: event counts and totals must be whole numbers ≥ 0`,
      },
      evidence: { test: 'poisson-rate-conditional-binomial', ...sizes },
    };
  }
  const have = Math.min(t1, t2);
  if (have < CANARY_LIMITS.minExposurePerSide) {
    const side = t1 <= t2 ? 'canary' : 'baseline';
    return {
      ...common,
      outcome: 'insufficient-data',
      reason: {
        code: 'canary-too-little-traffic',
        message: `${spec.name}: the ${side} saw ${have} ${samples.describe}, at least ${CANARY_LIMITS.minExposurePerSide} per side are needed to judge it`,
      },
      evidence: { test: 'poisson-rate-conditional-binomial', ...sizes },
      needed: { have, need: CANARY_LIMITS.minExposurePerSide, unit: `${samples.describe} per side` },
    };
  }
  const boundary = lookBoundary(spec.direction, look, alpha);
  const test = poissonRateTest(x1, t1, x2, t2, 1 - alpha);
  const canaryRate = x1 / t1;
  const baselineRate = x2 / t2;
  const difference = canaryRate - baselineRate;
  const { margin, text: allowed } = marginOf(spec, baselineRate);
  const p = spec.direction === 'increase' ? test.pGreater : spec.direction === 'decrease' ? test.pLess : test.pTwoSided;
  const harmful =
    spec.direction === 'increase'
      ? difference > margin
      : spec.direction === 'decrease'
        ? difference < -margin
        : Math.abs(difference) > margin;
  const significant = p <= boundary.nominal;
  // The most extreme split of these events (all on the side that looks worse) and the p-value it would give.
  const share = difference >= 0 ? test.exposureShare : 1 - test.exposureShare;
  const tails = boundary.sides;
  const bestP = Math.min(1, tails * share ** test.events);
  const evidence = {
    test: 'poisson-rate-conditional-binomial',
    alternative: spec.direction === 'either' ? 'two-sided' : spec.direction === 'increase' ? 'greater' : 'less',
    pValue: p,
    boundary: boundary.nominal,
    look: boundary.index,
    planned: boundary.planned,
    alpha,
    canaryRate,
    baselineRate,
    difference,
    margin,
    rateRatio: test.rateRatio,
    interval: [test.lower, test.upper],
    confLevel: test.confLevel,
    exposureShare: test.exposureShare,
    ...sizes,
  };
  const what = `${x1} in ${t1.toLocaleString('en-US')} canary ${samples.describe} (${figure(canaryRate * 100)}%) against ${x2} in ${t2.toLocaleString('en-US')} baseline (${figure(baselineRate * 100)}%), rate ratio ${figure(test.rateRatio)} (${Math.round(test.confLevel * 100)}% CI ${figure(test.lower)}…${figure(test.upper)})`;
  const against = `p = ${pValue(p)} against ${pValue(boundary.nominal)} at look ${boundary.index} of ${boundary.planned}`;
  if (significant && harmful) {
    return {
      ...common,
      outcome: 'fail',
      reason: { code: 'canary-rate-increase', message: `${spec.name}: ${what}, beyond ${allowed}; ${against}` },
      evidence,
    };
  }
  if (harmful && bestP > boundary.nominal) {
    // Smallest event count n with tails · share^n ≤ boundary (share < 1 since both exposures are positive).
    const need = Math.max(test.events + 1, Math.ceil(Math.log(boundary.nominal / tails) / Math.log(share)));
    return {
      ...common,
      outcome: 'insufficient-data',
      reason: {
        code: 'canary-too-few-events',
        message: `${spec.name}: ${what}; ${test.events} events cannot show a difference at this look (${against}), about ${need} are needed`,
      },
      evidence,
      needed: { have: test.events, need, unit: 'events' },
    };
  }
  const why = harmful ? `not significant (${against})` : `within ${allowed} (${against})`;
  return {
    ...common,
    outcome: 'pass',
    reason: {
      code: harmful ? 'canary-no-difference' : 'canary-within-margin',
      message: `${spec.name}: ${what}, ${why}`,
    },
    evidence,
  };
}
