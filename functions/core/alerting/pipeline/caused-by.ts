import { reason } from '../../reason.js';
import type { AlertRecord, StageDecision } from '../model.js';
import { type Candidate, PASS, type PipelineContext, serviceOf } from './types.js';

/** Per pipeline run (keyed on its maps): firing alerts by their `target` label, and each service's dependencies. */
const firingByTarget = new WeakMap<PipelineContext['alerts'], Map<string, AlertRecord>>();
const serviceDeps = new WeakMap<PipelineContext['targets'], Map<string, string[]>>();

function firingOn(target: string, ctx: PipelineContext): AlertRecord | undefined {
  let index = firingByTarget.get(ctx.alerts);
  if (!index) {
    index = new Map();
    for (const a of ctx.alerts.values()) {
      const t = a.labels.target;
      if (t && a.state === 'firing' && !index.has(t)) index.set(t, a);
    }
    firingByTarget.set(ctx.alerts, index);
  }
  return index.get(target);
}

/**
 * The targets an alert depends on: for an alert on a probe target (its `target` label), that target's
 * `dependsOn`; for an alert on a service, the `dependsOn` of the service's targets (outside the service).
 */
function dependenciesOf(alert: AlertRecord, ctx: PipelineContext): readonly string[] {
  const target = alert.labels.target;
  if (target) return ctx.targets.get(target)?.dependsOn ?? [];
  const service = serviceOf(alert);
  if (!service) return [];
  let byService = serviceDeps.get(ctx.targets);
  if (!byService) {
    byService = new Map();
    const owners = new Map<string, string>([...ctx.targets.values()].map((t) => [t.id, t.service]));
    for (const t of ctx.targets.values()) {
      const deps = byService.get(t.service) ?? [];
      for (const d of t.dependsOn) if (owners.get(d) !== t.service && !deps.includes(d)) deps.push(d);
      byService.set(t.service, deps);
    }
    serviceDeps.set(ctx.targets, byService);
  }
  return byService.get(service) ?? [];
}

/** The firing alert of a down dependency this alert is caused by (the first, following chains to the root). */
export function rootCauseOf(
  alert: AlertRecord,
  ctx: PipelineContext,
  seen = new Set<string>(),
): AlertRecord | undefined {
  seen.add(alert.id);
  for (const dep of dependenciesOf(alert, ctx)) {
    const root = firingOn(dep, ctx);
    if (root && !seen.has(root.id)) return rootCauseOf(root, ctx, seen) ?? root;
  }
  return undefined;
}

/** The firing alerts folded into `root`'s notification, for its message. */
export function dependentsOf(root: AlertRecord, ctx: PipelineContext): AlertRecord[] {
  if (!root.labels.target) return [];
  return [...ctx.alerts.values()].filter(
    (a) => a.id !== root.id && a.state === 'firing' && rootCauseOf(a, ctx)?.id === root.id,
  );
}

/**
 * Stage 3, `caused-by`: an alert on a target or service whose `dependsOn` target is down (has a firing
 * alert) is folded into that alert's notification instead of being sent on its own.
 */
export function causedBy(c: Candidate, ctx: PipelineContext): StageDecision {
  if (c.kind === 'flapping-started' || c.kind === 'flapping-ended') return PASS;
  const root = rootCauseOf(c.alert, ctx);
  if (!root) return PASS;
  return {
    action: 'fold',
    into: root.id,
    reason: reason(
      'caused-by',
      `${c.alert.labels.target ?? serviceOf(c.alert)} depends on ${root.labels.target}, which is down (alert ${root.id})`,
    ),
  };
}
