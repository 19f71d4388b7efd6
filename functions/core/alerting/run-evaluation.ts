import type { Clock } from '../clock.js';
import type { Notifier } from '../notify.js';
import { type DispatchOptions, type DispatchSummary, dispatchDue } from './dispatch.js';
import { eachLimited } from './each-limited.js';
import type { AlertNotifyState, AlertRecord, InhibitRule } from './model.js';
import { DEFAULT_INHIBIT_RULES } from './pipeline/inhibited.js';
import { reconsider } from './pipeline/release.js';
import { runPipeline, type TemplateError } from './pipeline/run-pipeline.js';
import { DEFAULT_PIPELINE_OPTIONS, type PipelineContext, type PipelineOptions } from './pipeline/types.js';
import type {
  ActiveDeploy,
  AlertStore,
  DeadLetterQueue,
  DeployWindows,
  OutboxStore,
  PipelineStateStore,
  RuleEvaluator,
  RuleStatus,
  SilenceStore,
  TargetGraph,
} from './ports.js';

/**
 * One evaluation run, as the scheduled evaluator function performs it:
 *
 *   list alerts → evaluate rules → write each changed alert on its version (a lost race drops its
 *   transitions) → pipeline over the transitions that won → create each outbox record on its id →
 *   save the pipeline state → reconsider due held records → dispatch due records (with retries).
 *
 * Two runs racing on the same alerts write each transition once and so create each outbox record once
 * (and a record created by both, a repeat say, is created once by its deterministic id); each record is
 * claimed before it is published, so it is published once.
 */
export interface EvaluationDeps {
  readonly evaluator: RuleEvaluator;
  readonly alerts: AlertStore;
  readonly outbox: OutboxStore;
  readonly pipelineState: PipelineStateStore;
  readonly silences: SilenceStore;
  readonly deployWindows: DeployWindows;
  readonly targets: TargetGraph;
  readonly notifier: Notifier;
  readonly deadLetters: DeadLetterQueue;
  readonly now: Clock;
  /** @default DEFAULT_INHIBIT_RULES (critical inhibits warning of the same service and rule group) */
  readonly inhibitRules?: readonly InhibitRule[];
  readonly pipeline?: Partial<PipelineOptions>;
  readonly dispatch?: Partial<DispatchOptions>;
  /** Base URL of the dashboard, for the links in messages. */
  readonly dashboardUrl?: string;
  /** Structured log lines (the handler passes its logger's `warn`). */
  readonly log?: (message: string, fields: Record<string, unknown>) => void;
  /** Alert writes in flight at once. @default 16 */
  readonly writeConcurrency?: number;
}

export interface EvaluationSummary {
  readonly evaluatedAt: number;
  readonly statuses: readonly RuleStatus[];
  /** Changed alerts written, and those another run had written first (their transitions dropped here). */
  readonly written: number;
  readonly conflicts: number;
  readonly transitions: number;
  /** Outbox records created by this run, and those that already existed (created by a racing run). */
  readonly created: number;
  readonly existing: number;
  /** Held records released for delivery, and dropped as superseded. */
  readonly released: number;
  readonly superseded: number;
  readonly dispatch: DispatchSummary;
  readonly templateErrors: readonly TemplateError[];
}

const NOTIFYING_STATES = new Set(['firing', 'resolved', 'nodata']);

async function deploysFor(
  services: Iterable<string>,
  windows: DeployWindows,
  now: number,
): Promise<Map<string, readonly ActiveDeploy[]>> {
  const list = [...new Set(services)].filter(Boolean);
  const found = await eachLimited(list, 8, async (s) => [s, await windows.active(s, now)] as const);
  return new Map(found.filter(([, d]) => d.length > 0));
}

export async function runEvaluation(deps: EvaluationDeps): Promise<EvaluationSummary> {
  const now = deps.now();
  const previous = await deps.alerts.list();
  const result = await deps.evaluator.evaluate(previous, now);

  const outcomes = await eachLimited(result.changed, deps.writeConcurrency ?? 16, async (a) => ({
    alert: a,
    outcome: await deps.alerts.put(a),
  }));
  const won = new Map<string, AlertRecord>();
  for (const { alert, outcome } of outcomes)
    if (outcome === 'written') won.set(alert.id, { ...alert, version: alert.version + 1 });
  const alerts = new Map(previous.map((a) => [a.id, a]));
  for (const [id, a] of won) alerts.set(id, a);
  const transitions = result.transitions.filter((t) => won.has(t.alertId));

  const [state, silences, targets, due] = await Promise.all([
    deps.pipelineState.load(),
    deps.silences.list(now),
    deps.targets.list(),
    deps.outbox.due(now, deps.dispatch?.batchSize ?? 100),
  ]);
  const held = due.filter((r) => r.status === 'held');
  const services = [
    ...[...alerts.values()]
      .filter((a) => NOTIFYING_STATES.has(a.state) || won.has(a.id))
      .map((a) => a.labels.service ?? ''),
    ...held.map((r) => r.attributes.service ?? ''),
  ];
  const ctx: PipelineContext = {
    now,
    alerts,
    rules: new Map(result.rules.map((r) => [r.id, r])),
    silences,
    inhibitRules: deps.inhibitRules ?? DEFAULT_INHIBIT_RULES,
    deploys: await deploysFor(services, deps.deployWindows, now),
    targets: new Map(targets.map((t) => [t.id, t])),
    notified: new Map(state.alerts.map((s) => [s.alertId, s])),
    groups: new Map(state.groups.map((g) => [g.key, g])),
    options: { ...DEFAULT_PIPELINE_OPTIONS, ...deps.pipeline },
  };

  const out = runPipeline({ ctx, transitions, ...(deps.dashboardUrl ? { dashboardUrl: deps.dashboardUrl } : {}) });
  for (const e of out.templateErrors) deps.log?.('template failed to render: sent raw', { ...e });
  const created = await eachLimited(out.records, deps.writeConcurrency ?? 16, (r) => deps.outbox.create(r));
  // Saved after the records exist: a run that stops before this re-derives them, and their ids dedupe.
  await deps.pipelineState.save(out.state);

  // Held records whose hold is due (read before this run's records were created, so none of those).
  const notified = new Map(ctx.notified);
  for (const s of out.state.alerts) notified.set(s.alertId, s);
  const releaseCtx: PipelineContext = { ...ctx, notified };
  const considered = held.map((r) => ({ read: r, ...reconsider(r, releaseCtx) }));
  const applied = await eachLimited(considered, deps.writeConcurrency ?? 16, async (r) => ({
    ...r,
    // Conditional on the record still being held as read: a racing run that released it first wins.
    won: await deps.outbox.update(r.record, { status: r.read.status, attempts: r.read.attempts }),
  }));
  const reconsidered = applied.filter((r) => r.won);
  const released: AlertNotifyState[] = reconsidered.flatMap((r) => (r.state ? [r.state] : []));
  if (released.length) await deps.pipelineState.save({ alerts: released, groups: [] });

  const dispatch = await dispatchDue({
    outbox: deps.outbox,
    notifier: deps.notifier,
    deadLetters: deps.deadLetters,
    now: deps.now,
    ...(deps.dispatch ? { options: deps.dispatch } : {}),
    ...(deps.log ? { log: deps.log } : {}),
  });

  return {
    evaluatedAt: now,
    statuses: result.statuses,
    written: won.size,
    conflicts: outcomes.length - won.size,
    transitions: transitions.length,
    created: created.filter((c) => c === 'created').length,
    existing: created.filter((c) => c === 'exists').length,
    released: reconsidered.filter((r) => r.record.status === 'pending').length,
    superseded: reconsidered.filter((r) => r.record.status === 'suppressed').length,
    dispatch,
    templateErrors: out.templateErrors,
  };
}
