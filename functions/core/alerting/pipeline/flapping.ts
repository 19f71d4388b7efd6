import { reason } from '../../reason.js';
import type { StageDecision } from '../model.js';
import { type Candidate, PASS, type PipelineContext } from './types.js';

/**
 * `flapping`: while an alert is marked flapping (the evaluator's flap detection), its notifications are
 * held; the one `flapping-started` notice says so, and the `flapping-ended` notice gives its state when it
 * settles. Held notices are not released later: the settle notice supersedes them.
 */
export function flapping(c: Candidate, _ctx: PipelineContext): StageDecision {
  if (c.kind === 'flapping-started' || c.kind === 'flapping-ended') {
    return { action: 'pass', reason: reason(c.kind, flapSentence(c)) };
  }
  if (!c.alert.flapping) return PASS;
  return {
    action: 'hold',
    reason: reason('flapping', `${c.alert.id} is flapping: its ${c.kind} notice is held until it settles`),
  };
}

const flapSentence = (c: Candidate) =>
  c.kind === 'flapping-started'
    ? `${c.alert.id} changed state ${c.alert.changes.length} times recently; its notices are held while it flaps`
    : `${c.alert.id} stopped flapping; it is ${c.alert.state}`;
