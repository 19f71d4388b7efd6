import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbTargetStore } from '../adapters/dynamodb-target-store.js';
import { ValidationError } from '../core/errors.js';
import { ConfigFileSchema } from '../core/probing/target-schema.js';
import { applyPlan, planApply } from '../core/probing/targets.js';
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

export function parseConfigFile(fileContents: string) {
  let json: unknown;
  try {
    json = JSON.parse(fileContents);
  } catch (error) {
    throw new ValidationError([{ path: '(file)', message: `not valid JSON: ${(error as Error).message}` }]);
  }
  return parse(ConfigFileSchema, json);
}

export async function applyConfigFile(
  db: DynamoDBDocumentClient,
  tableName: string,
  fileContents: string,
  now: number,
): Promise<ApplyConfigResult> {
  const config = parseConfigFile(fileContents);
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

/**
 * Local mode: applies the file at `path` if there is one. An absent file is nothing to do; an invalid
 * one is an error that names the file and the field, so local mode refuses to start.
 */
export async function applyConfigPath(
  db: DynamoDBDocumentClient,
  tableName: string,
  path: string,
  now: number,
): Promise<ApplyConfigResult | undefined> {
  const file = resolve(path);
  if (!existsSync(file)) return undefined;
  try {
    return await applyConfigFile(db, tableName, readFileSync(file, 'utf8'), now);
  } catch (error) {
    if (error instanceof ValidationError) throw new Error(`${file}: ${error.message}`);
    throw error;
  }
}

/** One line for the start banner: `3 targets (1 created, 2 unchanged, 0 deleted)`. */
export function describeApplied(r: ApplyConfigResult): string {
  const total = r.created.length + r.updated.length + r.unchanged.length;
  return `${total} target${total === 1 ? '' : 's'} (${r.created.length} created, ${r.updated.length} updated, ${r.unchanged.length} unchanged, ${r.deleted.length} deleted)`;
}
