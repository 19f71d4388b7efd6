import { type Reason, reason } from '../reason.js';
import { figure, signedPct } from './format-figures.js';
import type { Histogram } from './ports.js';
import { type QuantileEstimate, quantileWithInterval, relativeChange } from './quantile-interval.js';
import type { CheckState } from './record.js';
import { metricLabel, type PerformanceCheckSpec } from './request-schema.js';

/**
 * `performance`: the new version's p95/p99 and error rate over `windowSeconds` after the deploy, against
 * absolute limits and against the same service's window of the same length before the deploy (every
 * version then running). Judged once, when the window is complete.
 */
export const MIN_PERFORMANCE_SAMPLES = 20;

export interface PerformanceObservation {
  readonly current: Histogram;
  readonly before: Histogram;
  /** False for a CloudWatch metric (one statistic per period): no error rate. */
  readonly errorsKnown: boolean;
}

const ms = (x: number) => `${figure(x)} ms`;

export function performanceStep(
  spec: PerformanceCheckSpec,
  version: string,
  obs: PerformanceObservation,
  now: number,
): CheckState {
  const label = metricLabel(spec.metric);
  const { current, before } = obs;
  const p95 = quantileWithInterval(current, 0.95);
  const p99 = quantileWithInterval(current, 0.99);
  const base95 = quantileWithInterval(before, 0.95);
  const errorRate = current.count > 0 ? current.errors / current.count : undefined;
  const evidence: Record<string, unknown> = {
    metric: label,
    version,
    windowSeconds: spec.windowSeconds,
    samples: { current: current.count, before: before.count, describe: current.describe },
    ...(p95 ? { p95: p95 } : {}),
    ...(p99 ? { p99: p99 } : {}),
    ...(base95 ? { beforeP95: base95 } : {}),
    ...(obs.errorsKnown && errorRate !== undefined ? { errorRate, errors: current.errors } : {}),
  };
  if (!p95 || !p99 || current.count < MIN_PERFORMANCE_SAMPLES) {
    return {
      status: 'inconclusive',
      reasons: [
        reason(
          'performance-insufficient-data',
          `${label}: ${current.count} samples from version ${version} in ${spec.windowSeconds} s, at least ${MIN_PERFORMANCE_SAMPLES} needed`,
        ),
      ],
      evidence: { ...evidence, needed: { have: current.count, need: MIN_PERFORMANCE_SAMPLES, unit: 'samples' } },
      decidedAt: now,
    };
  }
  const failures: Reason[] = [];
  const notes: Reason[] = [];
  if (spec.maxP95Ms !== undefined && p95.value > spec.maxP95Ms) {
    failures.push(
      reason(
        'p95-limit',
        `${label} p95 is ${ms(p95.value)} (95% CI ${ms(p95.low)}…${ms(p95.high)}), above the limit of ${ms(spec.maxP95Ms)}`,
      ),
    );
  }
  if (spec.maxP99Ms !== undefined && p99.value > spec.maxP99Ms) {
    failures.push(
      reason(
        'p99-limit',
        `${label} p99 is ${ms(p99.value)} (95% CI ${ms(p99.low)}…${ms(p99.high)}), above the limit of ${ms(spec.maxP99Ms)}`,
      ),
    );
  }
  if (spec.maxRegressionPct !== undefined) {
    const r = regression(label, spec.maxRegressionPct, base95, p95, before.count);
    evidence.regression = r.evidence;
    (r.failed ? failures : notes).push(r.reason);
  }
  if (spec.maxErrorRate !== undefined) {
    if (!obs.errorsKnown || errorRate === undefined) {
      notes.push(
        reason('error-rate-unknown', `${label}: a CloudWatch statistic has no error rate; maxErrorRate was not judged`),
      );
    } else if (errorRate > spec.maxErrorRate) {
      failures.push(
        reason(
          'error-rate-limit',
          `error rate of version ${version} is ${figure(errorRate * 100)}% (${current.errors} of ${current.count}), above the limit of ${figure(spec.maxErrorRate * 100)}%`,
        ),
      );
    }
  }
  if (failures.length > 0) return { status: 'fail', reasons: [...failures, ...notes], evidence, decidedAt: now };
  return {
    status: 'pass',
    reasons: [
      reason(
        'performance-passed',
        `${label} p95 ${ms(p95.value)}, p99 ${ms(p99.value)}${errorRate !== undefined && obs.errorsKnown ? `, error rate ${figure(errorRate * 100)}%` : ''} within the limits`,
      ),
      ...notes,
    ],
    evidence,
    decidedAt: now,
  };
}

function regression(
  label: string,
  maxPct: number,
  before: QuantileEstimate | undefined,
  after: QuantileEstimate,
  beforeCount: number,
): { failed: boolean; reason: Reason; evidence: Record<string, unknown> } {
  if (!before || beforeCount < MIN_PERFORMANCE_SAMPLES) {
    return {
      failed: false,
      reason: reason(
        'regression-no-baseline',
        `${label}: ${beforeCount} samples in the window before the deploy (at least ${MIN_PERFORMANCE_SAMPLES} needed), so the regression was not judged`,
      ),
      evidence: { judged: false, beforeSamples: beforeCount },
    };
  }
  const change = relativeChange(before, after);
  const evidence = { judged: true, pct: change.pct, ci95: [change.low, change.high], allowedPct: maxPct };
  const sentence = `${label} p95 ${change.pct >= 0 ? 'rose' : 'fell'} from ${ms(before.value)} to ${ms(after.value)} (${signedPct(change.pct)}, 95% CI ${signedPct(change.low)}…${signedPct(change.high)})`;
  // Beyond the margin only when the interval's lower end is: a noisy estimate must not fail a deploy.
  if (change.low > maxPct) {
    return {
      failed: true,
      reason: reason('p95-regression', `${sentence}, beyond the allowed ${figure(maxPct)}%`),
      evidence,
    };
  }
  return {
    failed: false,
    reason: reason('p95-within-regression', `${sentence}, within the allowed ${figure(maxPct)}%`),
    evidence,
  };
}
