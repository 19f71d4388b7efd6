import * as v from 'valibot';
import { evaluate } from '../probing/evaluate.js';
import type { ProbeResponse } from '../probing/model.js';
import { TargetSpecSchema } from '../probing/target-schema.js';
import { reason } from '../reason.js';
import type { CheckState } from './record.js';
import type { HealthCheckSpec } from './request-schema.js';

/**
 * `health`: the deploy URL's health path passes `consecutivePasses` times in a row within `timeoutSeconds`.
 * Each response is judged exactly as the prober judges a target (`functions/core/probing/evaluate.ts`):
 * status 2xx, `application/health+json` `status: "fail"` is a failure and `"warn"` counts as a pass (noted).
 */
export const healthUrl = (deployUrl: string, path: string): string => new URL(path, deployUrl).href;

export function healthStep(
  state: CheckState,
  spec: HealthCheckSpec,
  deployUrl: string,
  response: ProbeResponse,
  startedAt: number,
  now: number,
  minIntervalMs: number,
): CheckState {
  const url = healthUrl(deployUrl, spec.path);
  const target = v.parse(TargetSpecSchema, { service: 'verification', url, timeoutMs: spec.requestTimeoutMs });
  const outcome = evaluate(target, response, now);
  const prev = state.evidence as { consecutive?: number; probes?: number; passes?: number };
  const passed = outcome.level !== 'fail';
  const consecutive = passed ? (prev.consecutive ?? 0) + 1 : 0;
  const evidence = {
    url,
    needed: spec.consecutivePasses,
    consecutive,
    probes: (prev.probes ?? 0) + 1,
    passes: (prev.passes ?? 0) + (passed ? 1 : 0),
    last: {
      at: now,
      level: outcome.level,
      ...(outcome.httpStatus !== undefined ? { httpStatus: outcome.httpStatus } : {}),
      latencyMs: outcome.latencyMs,
      ...(outcome.reason ? { reason: outcome.reason } : {}),
    },
  };
  const elapsedS = Math.round((now - startedAt) / 1_000);
  if (consecutive >= spec.consecutivePasses) {
    const warned = outcome.level === 'warn' ? ` (last answer: ${outcome.reason})` : '';
    return {
      status: 'pass',
      reasons: [reason('health-passed', `${url} passed ${consecutive} times in a row after ${elapsedS} s${warned}`)],
      evidence,
      decidedAt: now,
    };
  }
  const deadline = startedAt + spec.timeoutSeconds * 1_000;
  const nextAt = now + Math.max(spec.intervalSeconds * 1_000, minIntervalMs);
  if (nextAt > deadline) {
    const last = outcome.level === 'fail' ? `; last answer: ${outcome.reason}` : '';
    return {
      status: 'fail',
      reasons: [
        reason(
          outcome.reasonCode === 'url-refused' ? 'health-url-refused' : 'health-timeout',
          `${url} did not pass ${spec.consecutivePasses} times in a row within ${spec.timeoutSeconds} s (best run ${Math.max(consecutive, bestRun(state, consecutive))}, ${evidence.passes} of ${evidence.probes} probes passed${last})`,
        ),
      ],
      evidence,
      decidedAt: now,
    };
  }
  return { status: 'running', reasons: [], evidence: { ...evidence, best: bestRun(state, consecutive) }, nextAt };
}

function bestRun(state: CheckState, consecutive: number): number {
  return Math.max(consecutive, Number((state.evidence as { best?: number }).best ?? 0));
}
