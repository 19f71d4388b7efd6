import { ConflictError, NotFoundError, ValidationError, type Violation } from '../errors.js';
import { stableJson } from '../probing/targets.js';
import type { RuleRecord, RuleStore } from './rule-records.js';

/**
 * Rule lifecycle shared by the API and the config file, with the ownership rules of targets: a rule from
 * vigil.config.json belongs to the file (the API refuses to change or delete it), applying a file deletes
 * the file's rules it no longer lists, and a file that lists the id of an API rule takes it over. The total
 * number of rules is capped (`VIGIL_MAX_RULES`): a new rule past the cap is refused, an update never is.
 */
export const RULE_CONFIG_MESSAGE = 'is managed by the config file (vigil.config.json); change it there';

export const RULE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const RULE_ID_RULE = 'must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit';

export function ruleIdViolation(id: string, path = 'id'): Violation | undefined {
  return RULE_ID_PATTERN.test(id) ? undefined : { path, message: RULE_ID_RULE };
}

function limitMessage(maxRules: number): string {
  return `rules: the limit of ${maxRules} rules is reached (VIGIL_MAX_RULES); delete one or raise the limit`;
}

export async function putRule(
  store: RuleStore,
  id: string,
  definition: Readonly<Record<string, unknown>>,
  now: number,
  maxRules: number,
): Promise<{ rule: RuleRecord; created: boolean }> {
  const problem = ruleIdViolation(id);
  if (problem) throw new ValidationError([problem]);
  const existing = await store.get(id);
  if (existing?.origin === 'config') throw new ConflictError(`rule ${id} ${RULE_CONFIG_MESSAGE}`);
  if (!existing && (await store.list()).length >= maxRules) throw new ConflictError(limitMessage(maxRules));
  const rule: RuleRecord = { id, definition, origin: 'api', createdAt: existing?.createdAt ?? now, updatedAt: now };
  await store.put(rule);
  return { rule, created: !existing };
}

export async function deleteRule(store: RuleStore, id: string): Promise<void> {
  const existing = await store.get(id);
  if (!existing) throw new NotFoundError(`no rule with id ${id}`);
  if (existing.origin === 'config') throw new ConflictError(`rule ${id} ${RULE_CONFIG_MESSAGE}`);
  await store.delete(id);
}

export interface RuleEntry {
  readonly id: string;
  readonly definition: Readonly<Record<string, unknown>>;
}

export interface RulePlan {
  readonly create: readonly RuleRecord[];
  readonly update: readonly RuleRecord[];
  readonly unchanged: readonly string[];
  readonly remove: readonly string[];
}

/** What applying a config file's rules would change. Throws a ValidationError naming `rules`. */
export function planRuleApply(
  existing: readonly RuleRecord[],
  entries: readonly RuleEntry[],
  now: number,
  maxRules: number,
): RulePlan {
  const byId = new Map(existing.map((r) => [r.id, r]));
  const inFile = new Set(entries.map((e) => e.id));
  const remove = existing.filter((r) => r.origin === 'config' && !inFile.has(r.id)).map((r) => r.id);
  const total = existing.length - remove.length + entries.filter((e) => !byId.has(e.id)).length;
  if (total > maxRules) {
    throw new ValidationError([
      { path: 'rules', message: `${total} rules in all would exceed the limit of ${maxRules} (VIGIL_MAX_RULES)` },
    ]);
  }
  const create: RuleRecord[] = [];
  const update: RuleRecord[] = [];
  const unchanged: string[] = [];
  for (const { id, definition } of entries) {
    const old = byId.get(id);
    if (old?.origin === 'config' && stableJson(old.definition) === stableJson(definition)) {
      unchanged.push(id);
      continue;
    }
    const record: RuleRecord = { id, definition, origin: 'config', createdAt: old?.createdAt ?? now, updatedAt: now };
    (old ? update : create).push(record);
  }
  return { create, update, unchanged, remove };
}

export async function applyRulePlan(store: RuleStore, plan: RulePlan): Promise<void> {
  await Promise.all([...plan.create, ...plan.update].map((r) => store.put(r)));
  await Promise.all(plan.remove.map((id) => store.delete(id)));
}
