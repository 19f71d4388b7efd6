import { reason } from '../../reason.js';
import type { StageDecision } from '../model.js';
import { type Candidate, humanDuration, iso, PASS, type PipelineContext } from './types.js';

/**
 * `throttled`: the same alert is never notified twice within `throttlePeriod` (default 300 s). A state
 * notice arriving sooner is held until the period ends; if a later transition of the alert supersedes it
 * by then, it is dropped at release (`superseded`). Escalations go to their own topic and are not throttled.
 */
export function throttled(c: Candidate, ctx: PipelineContext): StageDecision {
  if (c.kind === 'escalation') return PASS;
  const last = ctx.notified.get(c.alert.id)?.lastAt;
  const period = c.rule?.throttlePeriodMs ?? 300_000;
  if (last === undefined || ctx.now - last >= period) return PASS;
  const until = last + period;
  return {
    action: 'hold',
    until,
    reason: reason(
      'throttled',
      `${c.alert.id} was notified at ${iso(last)}; throttlePeriod ${humanDuration(period)} holds this until ${iso(until)}`,
    ),
  };
}
