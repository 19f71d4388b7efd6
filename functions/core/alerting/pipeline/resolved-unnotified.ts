import { reason } from '../../reason.js';
import type { StageDecision } from '../model.js';
import { type Candidate, firingWasNotified, PASS, type PipelineContext } from './types.js';

/**
 * `resolved-unnotified`: a resolved notice for an episode whose firing notice was never released (it was
 * silenced, inhibited, folded or held) tells nobody anything, so it is not sent.
 */
export function resolvedUnnotified(c: Candidate, ctx: PipelineContext): StageDecision {
  if (c.kind !== 'resolved' || firingWasNotified(c, ctx)) return PASS;
  return {
    action: 'suppress',
    reason: reason('resolved-unnotified', 'resolved, and its firing was never notified, so there is nothing to close'),
  };
}
