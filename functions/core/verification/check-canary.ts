import { reason } from '../reason.js';
import { type CanaryMetricSpec, type CanarySamples, judgeCanary } from './canary-judge.js';
import type { CheckState } from './record.js';
import type { CanaryCheckSpec, CanaryMetricRequest } from './request-schema.js';

/**
 * `canary`: canary (`version`) against `baselineVersion` over the same time, judged by the canary judge
 * (`canary-judge.ts`) every `intervalSeconds` on the data since the deploy. A failure at an interim look has
 * crossed its alpha-spending boundary and stops the canary at once. At `durationSeconds` the outcome stands,
 * unless data is short: then the canary extends look by look up to `maxDurationSeconds`, and ends
 * `inconclusive` with how much data each metric had and needed.
 */
export interface CanaryMetricInput {
  readonly spec: CanaryMetricSpec;
  readonly samples: CanarySamples;
}

export const canarySpecOf = (m: CanaryMetricRequest): CanaryMetricSpec => ({
  name: m.name,
  kind: m.kind,
  direction: m.direction,
  critical: m.critical,
  ...(m.allowedIncreasePct !== undefined ? { allowedIncreasePct: m.allowedIncreasePct } : {}),
  ...(m.allowedIncreaseAbs !== undefined ? { allowedIncreaseAbs: m.allowedIncreaseAbs } : {}),
});

interface LookSummary {
  readonly look: number;
  readonly at: number;
  readonly outcome: string;
  readonly score: number;
}

export function canaryStep(
  state: CheckState,
  spec: CanaryCheckSpec,
  version: string,
  metrics: readonly CanaryMetricInput[],
  startedAt: number,
  now: number,
): CheckState {
  const prevLooks = ((state.evidence as { looks?: LookSummary[] }).looks ?? []).slice(-60);
  const index = prevLooks.length + 1;
  const intervalMs = spec.intervalSeconds * 1_000;
  const planned = Math.max(1, Math.floor(spec.durationSeconds / spec.intervalSeconds));
  const elapsedS = Math.round((now - startedAt) / 1_000);
  const final = index >= planned;
  const judgement = judgeCanary(metrics, { index, planned, final, alpha: spec.alpha }, spec);
  const looks = [...prevLooks, { look: index, at: now, outcome: judgement.outcome, score: judgement.score }];
  const evidence = {
    version,
    baselineVersion: spec.baselineVersion,
    look: index,
    planned,
    elapsedSeconds: elapsedS,
    score: judgement.score,
    outcome: judgement.outcome,
    metrics: judgement.metrics,
    looks,
  };
  const next = { status: 'running' as const, reasons: judgement.reasons, evidence, nextAt: now + intervalMs };
  if (judgement.outcome === 'fail' && judgement.stopEarly) {
    return {
      status: 'fail',
      reasons: [
        ...judgement.reasons,
        reason(
          'canary-stopped-early',
          `the canary failed at look ${index} of ${planned} (${elapsedS} s), past its alpha-spending boundary, so it stopped early`,
        ),
      ],
      evidence,
      decidedAt: now,
    };
  }
  if (!final) return next;
  if (judgement.outcome !== 'insufficient-data') {
    return { status: judgement.outcome, reasons: judgement.reasons, evidence, decidedAt: now };
  }
  const short = judgement.metrics
    .filter((m) => m.outcome === 'insufficient-data')
    .map((m) =>
      m.needed
        ? `${m.name} had ${m.needed.have} ${m.needed.unit}, needs ${m.needed.need}`
        : `${m.name}: ${m.reason.message}`,
    );
  const maxAt = startedAt + spec.maxDurationSeconds * 1_000;
  if (now + intervalMs <= maxAt + 1_000) {
    return {
      ...next,
      reasons: [
        ...judgement.reasons,
        reason(
          'canary-extended',
          `too little data after ${elapsedS} s (${short.join('; ')}); extended by ${spec.intervalSeconds} s, up to ${spec.maxDurationSeconds} s`,
        ),
      ],
      evidence: { ...evidence, extended: true },
    };
  }
  return {
    status: 'inconclusive',
    reasons: [
      ...judgement.reasons,
      reason(
        'canary-insufficient-data',
        `too little data after ${elapsedS} s, the longest allowed (${short.join('; ')})`,
      ),
    ],
    evidence: { ...evidence, extended: index > planned },
    decidedAt: now,
  };
}
