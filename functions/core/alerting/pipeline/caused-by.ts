import { reason } from '../../reason.js';
import type { AlertRecord, StageDecision } from '../model.js';
import { type Candidate, PASS, type PipelineContext, serviceOf } from './types.js';

/**
 * The targets an alert depends on: for an alert on a probe target (its `target` label), that target's
 * `dependsOn`; for an alert on a service, the `dependsOn` of the service's targets (outside the service).
 */
function dependenciesOf(alert: AlertRecord, ctx: PipelineContext): string[] {
  const target = alert.labels.target;
  if (target) return [...(ctx.targets.get(target)?.dependsOn ?? [])];
  const service = serviceOf(alert);
  if (!service) return [];
  const own = [...ctx.targets.values()].filter((t) => t.service === service);
  const ids = new Set(own.map((t) => t.id));
  return [...new Set(own.flatMap((t) => t.dependsOn))].filter((d) => !ids.has(d));
}

/** The firing alert of a down dependency this alert is caused by (the first, following chains to the root). */
export function rootCauseOf(
  alert: AlertRecord,
  ctx: PipelineContext,
  seen = new Set<string>(),
): AlertRecord | undefined {
  seen.add(alert.id);
  for (const dep of dependenciesOf(alert, ctx)) {
    const root = [...ctx.alerts.values()].find(
      (a) => a.state === 'firing' && a.labels.target === dep && !seen.has(a.id),
    );
    if (root) return rootCauseOf(root, ctx, seen) ?? root;
  }
  return undefined;
}

/** The firing alerts folded into `root`'s notification, for its message. */
export function dependentsOf(root: AlertRecord, ctx: PipelineContext): AlertRecord[] {
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
