import type { CanaryMetricSpec, CanarySamples, Look, MetricJudgement } from './canary-model.js';
import { CANARY_LIMITS } from './canary-model.js';
import { figure, pValue, signedPct } from './format-figures.js';
import { lookBoundary } from './look-boundary.js';
import { hodgesLehmann } from './stats/hodges-lehmann.js';
import { mannWhitney } from './stats/mann-whitney.js';
import { weightedMedian, weightedSample } from './stats/weighted-sample.js';

type Continuous = Extract<CanarySamples, { kind: 'continuous' }>;

/**
 * A continuous metric (latency) fails when three things hold: the Mann-Whitney test in the harmful direction
 * reaches this look's spending boundary, the Hodges–Lehmann shift (canary − baseline) points the harmful way,
 * and that estimate lies beyond the margin. The estimate rather than the interval's bound is held against the
 * margin: at an interim look the boundary is far stricter than 5%, and requiring the interval's bound past the
 * margin as well would ask for two strict conditions where the boundary already guards the error rate.
 */
export function judgeContinuous(
  spec: CanaryMetricSpec,
  samples: Continuous,
  look: Look,
  alpha: number,
): MetricJudgement {
  const canary = weightedSample(samples.canary, samples.canaryWeights);
  const baseline = weightedSample(samples.baseline, samples.baselineWeights);
  const common = { name: spec.name, kind: 'continuous' as const, critical: spec.critical };
  const sizes = {
    nBaseline: baseline.n,
    nCanary: canary.n,
    dropped: canary.dropped + baseline.dropped,
    sample: samples.describe,
  };
  const have = Math.min(canary.n, baseline.n);
  if (have < CANARY_LIMITS.minContinuousPerSide) {
    const side = canary.n <= baseline.n ? 'canary' : 'baseline';
    return {
      ...common,
      outcome: 'insufficient-data',
      reason: {
        code: 'canary-too-few-samples',
        message: `${spec.name}: the ${side} has ${have} samples, at least ${CANARY_LIMITS.minContinuousPerSide} per side are needed to judge it`,
      },
      evidence: { test: 'mann-whitney-u', ...sizes },
      needed: { have, need: CANARY_LIMITS.minContinuousPerSide, unit: 'samples per side' },
    };
  }
  const boundary = lookBoundary(spec.direction, look, alpha);
  const mw = mannWhitney(canary, baseline);
  const hl = hodgesLehmann(canary, baseline, 1 - alpha, mw)!;
  const baselineMedian = weightedMedian(baseline);
  const canaryMedian = weightedMedian(canary);
  const { margin, text: allowed } = marginOf(spec, baselineMedian);
  const p = spec.direction === 'increase' ? mw.pGreater : spec.direction === 'decrease' ? mw.pLess : mw.pTwoSided;
  const harmful =
    spec.direction === 'increase'
      ? hl.estimate > margin
      : spec.direction === 'decrease'
        ? hl.estimate < -margin
        : Math.abs(hl.estimate) > margin;
  const significant = p <= boundary.nominal;
  const pct = (d: number) => (baselineMedian !== 0 ? (d / Math.abs(baselineMedian)) * 100 : Number.NaN);
  const evidence = {
    test: 'mann-whitney-u',
    method: mw.method,
    alternative: spec.direction === 'either' ? 'two-sided' : spec.direction === 'increase' ? 'greater' : 'less',
    w: mw.w,
    u: mw.u,
    ...(mw.z !== undefined ? { z: mw.z } : {}),
    tiedGroups: mw.tiedGroups,
    pValue: p,
    boundary: boundary.nominal,
    look: boundary.index,
    planned: boundary.planned,
    alpha,
    estimate: hl.estimate,
    interval: [hl.lower, hl.upper],
    confLevel: hl.confLevel,
    intervalMethod: hl.method,
    estimatePct: pct(hl.estimate),
    intervalPct: [pct(hl.lower), pct(hl.upper)],
    baselineMedian,
    canaryMedian,
    margin,
    ...sizes,
  };
  const verb = hl.estimate >= 0 ? 'rose' : 'fell';
  const shift = `median ${verb} from ${figure(baselineMedian)} to ${figure(canaryMedian)} (shift ${figure(hl.estimate)}, ${signedPct(pct(hl.estimate))}, ${Math.round(hl.confLevel * 100)}% CI ${signedPct(pct(hl.lower))}…${signedPct(pct(hl.upper))})`;
  const test = `p = ${pValue(p)} against ${pValue(boundary.nominal)} at look ${boundary.index} of ${boundary.planned}`;
  if (significant && harmful) {
    return {
      ...common,
      outcome: 'fail',
      reason: { code: 'canary-regression', message: `${spec.name}: ${shift}, beyond ${allowed}; ${test}` },
      evidence,
    };
  }
  const why = !significant ? `not significant (${test})` : `within ${allowed} (${test})`;
  return {
    ...common,
    outcome: 'pass',
    reason: {
      code: significant ? 'canary-within-margin' : 'canary-no-difference',
      message: `${spec.name}: ${shift}, ${why}`,
    },
    evidence,
  };
}

/** The margin in the metric's units (the absolute one, the relative one of the baseline median, or the larger) and its words. */
export function marginOf(
  spec: CanaryMetricSpec,
  reference: number,
): { readonly margin: number; readonly text: string } {
  const abs = validMargin(spec.allowedIncreaseAbs);
  const pct = validMargin(spec.allowedIncreasePct);
  const rel = (pct / 100) * Math.abs(reference);
  const relative = Number.isFinite(rel) ? rel : 0;
  if (pct > 0 && relative >= abs) return { margin: relative, text: `the allowed ${pct}%` };
  if (abs > 0) return { margin: abs, text: `the allowed ${figure(abs)}` };
  return { margin: 0, text: 'no allowed margin' };
}

function validMargin(x: number | undefined): number {
  return typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : 0;
}
