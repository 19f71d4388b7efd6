import { reason } from '../../reason.js';
import { type AlertRecord, notificationIdOf, type StageDecision } from '../model.js';
import { type Candidate, humanDuration, isAcknowledged, PASS, type PipelineContext } from './types.js';

/**
 * `repeat-due`: a firing alert whose firing notice went out is notified again every `repeatInterval`
 * (default 4 h) while it keeps firing. The n-th repeat has the id `alertId#seq#repeat-n`, so two
 * evaluators creating it at once create it once.
 */
export function repeatCandidate(alert: AlertRecord, ctx: PipelineContext): Candidate | undefined {
  if (alert.state !== 'firing') return undefined;
  const state = ctx.notified.get(alert.id);
  if (!state?.firing || state.firing.seq !== alert.seq) return undefined;
  const rule = ctx.rules.get(alert.ruleId);
  const interval = rule?.repeatIntervalMs ?? 14_400_000;
  const n = Math.floor((ctx.now - state.firing.at) / interval);
  const done = state.stepsSeq === alert.seq ? state.repeats : 0;
  if (n < 1 || n <= done) return undefined;
  return {
    id: `${notificationIdOf(alert.id, alert.seq)}#repeat-${n}`,
    kind: 'repeat',
    alert,
    rule,
    seq: alert.seq,
    transition: undefined,
    topic: alert.severity,
  };
}

/** The repeat number of a repeat candidate's id. */
export const repeatNumber = (c: Candidate): number => Number(c.id.slice(c.id.lastIndexOf('-') + 1));

/** The stage: an acknowledged alert is not repeated. */
export function repeatDue(c: Candidate, ctx: PipelineContext): StageDecision {
  if (c.kind !== 'repeat') return PASS;
  const interval = humanDuration(c.rule?.repeatIntervalMs ?? 14_400_000);
  if (isAcknowledged(c.alert, ctx.now)) {
    return {
      action: 'suppress',
      reason: reason('acknowledged', `acknowledged by ${c.alert.ack?.by}: no repeat`),
    };
  }
  return {
    action: 'pass',
    reason: reason('repeat-due', `still firing: repeat ${repeatNumber(c)}, every repeatInterval ${interval}`),
  };
}
