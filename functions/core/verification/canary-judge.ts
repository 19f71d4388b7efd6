import type { Reason } from '../reason.js';
import type { CanaryJudgement, CanaryMetricSpec, CanarySamples, Look, MetricJudgement } from './canary-model.js';
import { CANARY_LIMITS } from './canary-model.js';
import { judgeContinuous } from './judge-continuous.js';
import { judgeCount } from './judge-count.js';

export type { CanaryJudgement, CanaryMetricSpec, CanarySamples, Look, MetricJudgement } from './canary-model.js';
export { CANARY_LIMITS } from './canary-model.js';

/** Judges one metric at one look (pure: no clock, no I/O). */
export function judgeMetric(spec: CanaryMetricSpec, samples: CanarySamples, look: Look): MetricJudgement {
  const alpha =
    typeof look.alpha === 'number' && look.alpha > 0 && look.alpha < 1 ? look.alpha : CANARY_LIMITS.defaultAlpha;
  if (spec.kind !== samples.kind) {
    return {
      name: spec.name,
      kind: spec.kind,
      critical: spec.critical,
      outcome: 'insufficient-data',
      reason: {
        code: 'canary-kind-mismatch',
        message: `${spec.name}: declared as a ${spec.kind} metric but given ${samples.kind} samples`,
      },
      evidence: { sample: samples.describe },
    };
  }
  return samples.kind === 'continuous'
    ? judgeContinuous(spec, samples, look, alpha)
    : judgeCount(spec, samples, look, alpha);
}

/**
 * Score = passing / judged metrics × 100, 0 when a critical metric fails. Outcome: `fail` on a critical
 * failure, or when the score could not reach `marginalScore` even if every metric still short of data passed;
 * otherwise `insufficient-data` while any metric lacks data; otherwise `pass` at or above `passScore`,
 * `marginal` at or above `marginalScore`, `fail` below. Every failure has crossed its look's spending
 * boundary, so a failure at an interim look may stop the canary (`stopEarly`) without raising the error rate.
 */
export function judgeCanary(
  metrics: readonly { spec: CanaryMetricSpec; samples: CanarySamples }[],
  look: Look,
  thresholds: { passScore: number; marginalScore: number },
): CanaryJudgement {
  const judged = metrics.map(({ spec, samples }) => judgeMetric(spec, samples, look));
  const decided = judged.filter((m) => m.outcome !== 'insufficient-data');
  const passing = decided.filter((m) => m.outcome === 'pass').length;
  const waiting = judged.length - decided.length;
  const criticalFail = judged.some((m) => m.critical && m.outcome === 'fail');
  const score = criticalFail || decided.length === 0 ? 0 : (passing / decided.length) * 100;
  const bestCase = judged.length === 0 ? 0 : ((passing + waiting) / judged.length) * 100;
  const reasons: Reason[] = judged.filter((m) => m.outcome !== 'pass').map((m) => m.reason);
  const of = `${passing} of ${decided.length} judged metrics passed`;
  let outcome: CanaryJudgement['outcome'];
  if (criticalFail) {
    outcome = 'fail';
    reasons.push({
      code: 'canary-critical-failure',
      message: `a critical metric failed, so the canary scores 0 (${of})`,
    });
  } else if (judged.length === 0) {
    outcome = 'insufficient-data';
    reasons.push({ code: 'canary-no-metrics', message: 'no canary metrics were given' });
  } else if (waiting > 0 && bestCase < thresholds.marginalScore) {
    outcome = 'fail';
    reasons.push({
      code: 'canary-score',
      message: `score ${Math.round(score)} (${of}) cannot reach the marginal score ${thresholds.marginalScore} even if the ${waiting} metrics short of data pass`,
    });
  } else if (waiting > 0) {
    outcome = 'insufficient-data';
  } else if (score >= thresholds.passScore) {
    outcome = 'pass';
  } else if (score >= thresholds.marginalScore) {
    outcome = 'marginal';
    reasons.push({
      code: 'canary-score',
      message: `score ${Math.round(score)} (${of}) is below the pass score ${thresholds.passScore}`,
    });
  } else {
    outcome = 'fail';
    reasons.push({
      code: 'canary-score',
      message: `score ${Math.round(score)} (${of}) is below the marginal score ${thresholds.marginalScore}`,
    });
  }
  return { score, outcome, stopEarly: outcome === 'fail' && !look.final, metrics: judged, reasons };
}
