import { reason } from '../../reason.js';
import { type Matcher, matchesAll } from '../matchers.js';
import type { StageDecision } from '../model.js';
import { silenceActiveSince } from './silence-window.js';
import { type Candidate, firingWasNotified, iso, PASS, type PipelineContext } from './types.js';

/** `service="checkout", env=~"prod|staging"`, for a sentence. */
export const describeMatchers = (matchers: readonly Matcher[]): string =>
  matchers.map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`).join(', ');

/**
 * Stage 1, `silenced`: an alert matching an active silence (or recurring maintenance window) gets no
 * notification. A resolved notice still goes out when the firing notice was released before the silence
 * began (`resolvedThroughSilence`, on by default): whoever was told it fires is told it is over.
 */
export function silenced(c: Candidate, ctx: PipelineContext): StageDecision {
  for (const s of ctx.silences) {
    const since = silenceActiveSince(s, ctx.now);
    if (since === undefined || !matchesAll(s.matchers, c.alert.labels)) continue;
    if (c.kind === 'resolved' && ctx.options.resolvedThroughSilence && firingWasNotified(c, ctx, since)) {
      return {
        action: 'pass',
        reason: reason(
          'resolved-through-silence',
          `silence ${s.id} matches, but the firing notice went out before it began at ${iso(since)}`,
        ),
      };
    }
    const window = s.weekly?.length ? ` (maintenance window in ${s.timeZone ?? 'UTC'})` : '';
    return {
      action: 'suppress',
      reason: reason(
        'silenced',
        `silenced by ${s.id}${window} until ${iso(s.endsAt)} (${describeMatchers(s.matchers)}): ${s.comment}`,
      ),
    };
  }
  return PASS;
}
