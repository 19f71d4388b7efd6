import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbRuleStore } from '../adapters/dynamodb-rule-store.js';
import { applyRulePlan, planRuleApply, type RuleEntry } from '../core/alerting/rule-lifecycle.js';
import { parseRule } from '../core/alerting/rule-parse.js';
import { ValidationError, type Violation } from '../core/errors.js';

/**
 * Rules as code: the `rules` of a `vigil.config.json`, each validated by the same `parseRule` as
 * `PUT /v1/rules/{id}` (violations are named `rules[2].window`), applied with the ownership rules of
 * targets (rule-lifecycle.ts). Called by the deploy-time bootstrap (and so by local mode at start), and
 * at `cdk synth`, so that an invalid rule fails before any deploy.
 */
export function parseConfigRules(config: unknown): RuleEntry[] {
  const rules = config && typeof config === 'object' ? (config as { rules?: unknown }).rules : undefined;
  if (rules === undefined) return [];
  if (!Array.isArray(rules)) throw new ValidationError([{ path: 'rules', message: 'must be an array' }]);
  const problems: Violation[] = [];
  const entries: RuleEntry[] = [];
  const seen = new Set<string>();
  rules.forEach((entry: unknown, i) => {
    const parsed = parseRule(entry, 'config');
    if (!parsed.ok) {
      for (const issue of parsed.issues)
        problems.push({ ...issue, path: `rules[${i}]${issue.path ? `.${issue.path}` : ''}` });
      return;
    }
    if (seen.has(parsed.rule.id))
      problems.push({ path: `rules[${i}].id`, message: `${parsed.rule.id} is listed twice` });
    seen.add(parsed.rule.id);
    const { id: _id, ...definition } = entry as Record<string, unknown>;
    entries.push({ id: parsed.rule.id, definition });
  });
  if (problems.length > 0) throw new ValidationError(problems);
  return entries;
}

export interface ApplyRulesResult {
  readonly created: readonly string[];
  readonly updated: readonly string[];
  readonly unchanged: readonly string[];
  readonly deleted: readonly string[];
}

export async function applyConfigRules(
  db: DynamoDBDocumentClient,
  tableName: string,
  entries: readonly RuleEntry[],
  now: number,
  maxRules: number,
): Promise<ApplyRulesResult> {
  const store = new DynamoDbRuleStore(db, tableName);
  const plan = planRuleApply(await store.list(), entries, now, maxRules);
  await applyRulePlan(store, plan);
  return {
    created: plan.create.map((r) => r.id),
    updated: plan.update.map((r) => r.id),
    unchanged: plan.unchanged,
    deleted: plan.remove,
  };
}

/** `2 rules (1 created, 0 updated, 1 unchanged, 0 deleted)`. */
export function describeAppliedRules(r: ApplyRulesResult): string {
  const total = r.created.length + r.updated.length + r.unchanged.length;
  return `${total} rule${total === 1 ? '' : 's'} (${r.created.length} created, ${r.updated.length} updated, ${r.unchanged.length} unchanged, ${r.deleted.length} deleted)`;
}
