import { ConflictError, NotFoundError, ValidationError, type Violation } from '../errors.js';
import type { TargetState, TargetStore } from './model.js';
import type { ManagedBy, TargetEntry, TargetRecord, TargetSpec } from './target-schema.js';

/**
 * Target lifecycle shared by the API and the config file. Targets that came from the config file are
 * owned by it: the API refuses to change or delete them (change the file instead), and applying a file
 * deletes the file-managed targets it no longer lists. Targets created through the API are never touched
 * by a file unless the file lists the same id, which then takes it over.
 */
export const CONFIG_MANAGED_MESSAGE = 'is managed by the config file (vigil.config.json); change it there';

/** Key-order-independent JSON, to tell an unchanged target from a changed one. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function specOf(
  target: TargetSpec & Partial<Pick<TargetRecord, 'id' | 'managedBy' | 'createdAt' | 'updatedAt'>>,
): TargetSpec {
  const { id: _i, managedBy: _m, createdAt: _c, updatedAt: _u, ...spec } = target as TargetRecord;
  return spec;
}

export function sameSpec(a: TargetSpec, b: TargetSpec): boolean {
  return stableJson(specOf(a)) === stableJson(specOf(b));
}

function dependencyViolations(
  id: string,
  dependsOn: readonly string[],
  known: (dep: string) => boolean,
  prefix: string,
): Violation[] {
  return dependsOn.flatMap((dep, i): Violation[] => {
    if (dep === id) return [{ path: `${prefix}dependsOn[${i}]`, message: 'a target cannot depend on itself' }];
    if (!known(dep)) return [{ path: `${prefix}dependsOn[${i}]`, message: `no target with id ${dep}` }];
    return [];
  });
}

export async function putTarget(
  store: TargetStore,
  id: string,
  spec: TargetSpec,
  now: number,
): Promise<{ target: TargetRecord; created: boolean }> {
  const existing = await store.getTarget(id);
  if (existing?.managedBy === 'config') throw new ConflictError(`target ${id} ${CONFIG_MANAGED_MESSAGE}`);
  const deps = await Promise.all(
    spec.dependsOn.map(async (d) => [d, d !== id && (await store.getTarget(d)) !== undefined] as const),
  );
  const knownDeps = new Map(deps);
  const problems = dependencyViolations(id, spec.dependsOn, (d) => knownDeps.get(d) === true, '');
  if (problems.length > 0) throw new ValidationError(problems);
  const target: TargetRecord = {
    ...spec,
    id,
    managedBy: 'api',
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  await store.putTarget(target);
  return { target, created: !existing };
}

export async function deleteTarget(store: TargetStore, id: string): Promise<void> {
  const existing = await store.getTarget(id);
  if (!existing) throw new NotFoundError(`no target with id ${id}`);
  if (existing.managedBy === 'config') throw new ConflictError(`target ${id} ${CONFIG_MANAGED_MESSAGE}`);
  await store.deleteTarget(id);
}

export interface ApplyPlan {
  readonly create: readonly TargetRecord[];
  readonly update: readonly TargetRecord[];
  readonly unchanged: readonly string[];
  readonly remove: readonly string[];
}

/** What applying a config file's targets would change. Throws a ValidationError naming `targets[i]…`. */
export function planApply(existing: readonly TargetRecord[], entries: readonly TargetEntry[], now: number): ApplyPlan {
  const byId = new Map(existing.map((t) => [t.id, t]));
  const inFile = new Set(entries.map((e) => e.id));
  const remove = existing.filter((t) => t.managedBy === 'config' && !inFile.has(t.id)).map((t) => t.id);
  const removed = new Set(remove);
  const known = (dep: string) => inFile.has(dep) || (byId.has(dep) && !removed.has(dep));
  const problems = entries.flatMap((e, i) => dependencyViolations(e.id, e.dependsOn, known, `targets[${i}].`));
  if (problems.length > 0) throw new ValidationError(problems);

  const create: TargetRecord[] = [];
  const update: TargetRecord[] = [];
  const unchanged: string[] = [];
  const managedBy: ManagedBy = 'config';
  for (const entry of entries) {
    const { id, ...spec } = entry;
    const old = byId.get(id);
    if (old && old.managedBy === managedBy && sameSpec(old, spec)) {
      unchanged.push(id);
      continue;
    }
    const record: TargetRecord = { ...spec, id, managedBy, createdAt: old?.createdAt ?? now, updatedAt: now };
    (old ? update : create).push(record);
  }
  return { create, update, unchanged, remove };
}

export async function applyPlan(store: TargetStore, plan: ApplyPlan): Promise<void> {
  await Promise.all([...plan.create, ...plan.update].map((t) => store.putTarget(t)));
  await Promise.all(plan.remove.map((id) => store.deleteTarget(id)));
}

/** The public view of a target's current state. */
export function stateView(state: TargetState | undefined) {
  return {
    status: state?.status ?? 'unknown',
    reason: state?.reason ?? null,
    since: state ? new Date(state.since).toISOString() : null,
    lastCheckedAt: state?.lastCheckedAt !== undefined ? new Date(state.lastCheckedAt).toISOString() : null,
    lastResult: state?.lastLevel
      ? { level: state.lastLevel, reason: state.lastReason ?? null, code: state.lastReasonCode ?? null }
      : null,
    latencyMs: state?.latencyMs ?? null,
    httpStatus: state?.httpStatus ?? null,
    certificateExpiresAt:
      state?.certificateValidTo !== undefined ? new Date(state.certificateValidTo).toISOString() : null,
    pending: state?.streak
      ? { toward: state.streak.toward, count: state.streak.count, reason: state.streak.reason ?? null }
      : null,
  };
}
