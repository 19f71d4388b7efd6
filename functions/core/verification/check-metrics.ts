import { reason } from '../reason.js';
import type { CheckState } from './record.js';
import { type MetricsCheckSpec, metricLabel } from './request-schema.js';

/** `metrics`: every required metric arrives from this version within `withinSeconds`. */
export function metricsStep(
  state: CheckState,
  spec: MetricsCheckSpec,
  version: string,
  seen: Readonly<Record<string, boolean>>,
  startedAt: number,
  now: number,
  minIntervalMs: number,
): CheckState {
  const prev = (state.evidence as { arrived?: Record<string, number> }).arrived ?? {};
  const arrived: Record<string, number> = { ...prev };
  for (const m of spec.required) {
    const label = metricLabel(m);
    if (seen[label] && arrived[label] === undefined) arrived[label] = now;
  }
  const labels = spec.required.map(metricLabel);
  const missing = labels.filter((l) => arrived[l] === undefined);
  const evidence = { version, required: labels, arrived, missing };
  if (missing.length === 0) {
    return {
      status: 'pass',
      reasons: [reason('metrics-arrived', `all ${labels.length} required metrics arrived from version ${version}`)],
      evidence,
      decidedAt: now,
    };
  }
  const deadline = startedAt + spec.withinSeconds * 1_000;
  const poll = Math.max(minIntervalMs, Math.min(30_000, (spec.withinSeconds * 1_000) / 10));
  if (now >= deadline) {
    return {
      status: 'fail',
      reasons: [
        reason(
          'metrics-missing',
          `no data from version ${version} within ${spec.withinSeconds} s for ${missing.join(', ')}`,
        ),
      ],
      evidence,
      decidedAt: now,
    };
  }
  return { status: 'running', reasons: [], evidence, nextAt: Math.min(now + poll, deadline) };
}
