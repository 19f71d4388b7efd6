import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbTargetStore } from '../adapters/dynamodb-target-store.js';
import { ValidationError } from '../core/errors.js';
import { configViolations } from '../core/probing/config-checks.js';
import { ConfigFileSchema } from '../core/probing/target-schema.js';
import { applyPlan, planApply } from '../core/probing/targets.js';
import type { UrlPolicy } from '../core/url-policy.js';
import { parse } from '../core/validate.js';

/**
 * Targets as code: applies the `targets` of a `vigil.config.json` to the probes table. Called by local
 * mode at start and by the deploy step (a CDK custom resource). Invalid contents throw a ValidationError
 * whose violations name the field (`targets[2].url`), and nothing is written.
 */
export interface ApplyConfigResult {
  readonly created: readonly string[];
  readonly updated: readonly string[];
  readonly unchanged: readonly string[];
  /** File-managed targets the file no longer lists. */
  readonly deleted: readonly string[];
}

/** `policy`: the deployment's URL policy (`allowPrivateTargets`), applied to literal addresses. */
export function parseConfigFile(fileContents: string, policy: UrlPolicy) {
  let json: unknown;
  try {
    json = JSON.parse(fileContents);
  } catch (error) {
    throw new ValidationError([{ path: '(file)', message: `not valid JSON: ${(error as Error).message}` }]);
  }
  const config = parse(ConfigFileSchema, json);
  const violations = configViolations(config.targets, policy);
  if (violations.length > 0) throw new ValidationError(violations);
  return config;
}

export async function applyConfigFile(
  db: DynamoDBDocumentClient,
  tableName: string,
  fileContents: string,
  now: number,
  policy: UrlPolicy,
): Promise<ApplyConfigResult> {
  const config = parseConfigFile(fileContents, policy);
  const store = new DynamoDbTargetStore(db, tableName);
  const plan = planApply(await store.listTargets(), config.targets, now);
  await applyPlan(store, plan);
  return {
    created: plan.create.map((t) => t.id),
    updated: plan.update.map((t) => t.id),
    unchanged: plan.unchanged,
    deleted: plan.remove,
  };
}

/** One line for the start banner: `3 targets (1 created, 2 unchanged, 0 deleted)`. */
export function describeApplied(r: ApplyConfigResult): string {
  const total = r.created.length + r.updated.length + r.unchanged.length;
  return `${total} target${total === 1 ? '' : 's'} (${r.created.length} created, ${r.updated.length} updated, ${r.unchanged.length} unchanged, ${r.deleted.length} deleted)`;
}
