import { reason } from '../../reason.js';
import { type AlertRecord, notificationIdOf, type StageDecision } from '../model.js';
import { type Candidate, humanDuration, isAcknowledged, PASS, type PipelineContext } from './types.js';

const stepsOf = (c: { rule: Candidate['rule'] }) =>
  [...(c.rule?.escalation ?? [])].sort((a, b) => a.afterMs - b.afterMs);

/**
 * `escalated`: each escalation step (`after` since the alert started firing) that is due and not yet done
 * becomes a notification to the step's topic, `alertId#seq#escalation-N`.
 */
export function escalationCandidates(alert: AlertRecord, ctx: PipelineContext): Candidate[] {
  if (alert.state !== 'firing' || alert.firedAt === undefined) return [];
  const rule = ctx.rules.get(alert.ruleId);
  const steps = stepsOf({ rule });
  const state = ctx.notified.get(alert.id);
  const done = state && state.stepsSeq === alert.seq ? state.escalations : 0;
  const out: Candidate[] = [];
  for (let i = done; i < steps.length; i++) {
    const step = steps[i]!;
    if (ctx.now < alert.firedAt + step.afterMs) break;
    out.push({
      id: `${notificationIdOf(alert.id, alert.seq)}#escalation-${i + 1}`,
      kind: 'escalation',
      alert,
      rule,
      seq: alert.seq,
      transition: undefined,
      topic: step.topic,
    });
  }
  return out;
}

export const escalationStep = (c: Candidate): number => Number(c.id.slice(c.id.lastIndexOf('-') + 1));

/** The stage: an acknowledged alert is not escalated (its resolved notice still goes out). */
export function escalated(c: Candidate, ctx: PipelineContext): StageDecision {
  if (c.kind !== 'escalation') return PASS;
  if (isAcknowledged(c.alert, ctx.now)) {
    return { action: 'suppress', reason: reason('acknowledged', `acknowledged by ${c.alert.ack?.by}: no escalation`) };
  }
  const n = escalationStep(c);
  const step = stepsOf(c)[n - 1];
  const after = step ? humanDuration(step.afterMs) : '?';
  return {
    action: 'pass',
    reason: reason('escalated', `firing for ${after} and not acknowledged: escalation step ${n} to ${c.topic}`),
  };
}
