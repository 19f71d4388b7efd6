import type { Rule } from '../core/alerting/rule-model.js';
import { parseRule } from '../core/alerting/rule-parse.js';
import type { RuleRecord, RuleStore } from '../core/alerting/rule-records.js';
import type { Violation } from '../core/errors.js';

/**
 * The evaluator's rules: every stored rule (from the API and from vigil.config.json alike), parsed at each
 * run with the same `parseRule` that admitted it, so a changed default applies to old rules too. A stored
 * definition that no longer parses (written by an older version) is left out of the run and reported, with
 * its violations, as that rule's `error` status.
 */
export interface InvalidStoredRule {
  readonly rule: RuleRecord;
  readonly issues: readonly Violation[];
}

export function storedRuleSource(store: RuleStore, onInvalid: (invalid: InvalidStoredRule) => void) {
  return {
    async list(): Promise<Rule[]> {
      const rules: Rule[] = [];
      for (const record of await store.list()) {
        const parsed = parseRule({ ...record.definition, id: record.id }, record.origin, record.id);
        if (parsed.ok) rules.push(parsed.rule);
        else onInvalid({ rule: record, issues: parsed.issues });
      }
      return rules;
    },
  };
}
