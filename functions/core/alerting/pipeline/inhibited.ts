import { reason } from '../../reason.js';
import { matchesAll } from '../matchers.js';
import type { InhibitRule, StageDecision } from '../model.js';
import { type Candidate, firingWasNotified, PASS, type PipelineContext } from './types.js';

/**
 * Default inhibition: a firing `critical` alert mutes `warning` alerts with the same `service` and rule
 * `group` label (a label both lack counts as equal, as in Alertmanager).
 */
export const DEFAULT_INHIBIT_RULES: readonly InhibitRule[] = [
  {
    source: [{ label: 'severity', op: '=', value: 'critical' }],
    target: [{ label: 'severity', op: '=', value: 'warning' }],
    equal: ['service', 'group'],
  },
];

/**
 * Stage 2, `inhibited` (Alertmanager's inhibitor): the candidate matches an inhibit rule's target matchers
 * while another firing alert matches its source matchers and has the same values of the `equal` labels.
 * A resolved notice of an alert whose firing notice was released passes (with the reason noted).
 */
export function inhibited(c: Candidate, ctx: PipelineContext): StageDecision {
  for (const rule of ctx.inhibitRules) {
    if (!matchesAll(rule.target, c.alert.labels)) continue;
    for (const source of ctx.alerts.values()) {
      if (source.id === c.alert.id || source.state !== 'firing') continue;
      if (!matchesAll(rule.source, source.labels)) continue;
      if (!rule.equal.every((l) => (source.labels[l] ?? '') === (c.alert.labels[l] ?? ''))) continue;
      const equal = rule.equal.length ? ` with the same ${rule.equal.join(', ')}` : '';
      if (c.kind === 'resolved' && firingWasNotified(c, ctx)) {
        return {
          action: 'pass',
          reason: reason('resolved-through-inhibition', `inhibited by ${source.id}, but its firing notice went out`),
        };
      }
      return {
        action: 'suppress',
        reason: reason('inhibited', `inhibited by firing ${source.severity} alert ${source.id}${equal}`),
      };
    }
  }
  return PASS;
}
