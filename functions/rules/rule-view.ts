import { RULE_DEFAULTS } from '../core/alerting/rule-parse.js';
import type { RuleRecord, StoredRuleStatus } from '../core/alerting/rule-records.js';

/**
 * The public view of a rule: its definition as given (so a `GET` can be sent back with `PUT`), who owns it,
 * and its last evaluation (`health` `ok`, `nodata` or `error` with the error; null before the first).
 */
const iso = (ms: number) => new Date(ms).toISOString();

export function ruleView(rule: RuleRecord, status: StoredRuleStatus | undefined) {
  return {
    // The severity is shown even when the definition leaves it to the default.
    severity: RULE_DEFAULTS.severity,
    ...rule.definition,
    id: rule.id,
    origin: rule.origin,
    createdAt: iso(rule.createdAt),
    updatedAt: iso(rule.updatedAt),
    lastEvaluation: status
      ? {
          at: iso(status.evaluatedAt),
          health: status.health,
          error: status.error ?? null,
          active: status.active,
          durationMs: status.durationMs ?? null,
        }
      : null,
  };
}
