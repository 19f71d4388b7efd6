import type { Rule } from '../rule-model.js';
import { absence } from './absence.js';
import { anomaly } from './anomaly.js';
import { burnRate } from './burn-rate.js';
import { errorRate } from './error-rate.js';
import { health } from './health.js';
import type { RuleType } from './rule-type.js';
import { threshold } from './threshold.js';

/** Every rule type's reader, by the rule's `type`. */
export const RULE_TYPES: { readonly [K in Rule['type']]: RuleType<Extract<Rule, { type: K }>> } = {
  threshold,
  absence,
  health,
  error_rate: errorRate,
  anomaly,
  burn_rate: burnRate,
};

export const ruleTypeOf = <R extends Rule>(rule: R): RuleType<R> => RULE_TYPES[rule.type] as unknown as RuleType<R>;
