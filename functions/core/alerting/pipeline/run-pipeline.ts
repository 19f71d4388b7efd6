import { type Reason, reason } from '../../reason.js';
import { buildMessage } from '../message.js';
import type {
  AlertNotifyState,
  AlertTransition,
  GroupState,
  OutboxRecord,
  OutboxStatus,
  StageDecision,
} from '../model.js';
import type { PipelineState } from '../ports.js';
import { transitionCandidates } from './candidates.js';
import { causedBy, dependentsOf } from './caused-by.js';
import { deployWindow } from './deploy-window.js';
import { escalated, escalationCandidates, escalationStep } from './escalated.js';
import { flapping } from './flapping.js';
import { grouped, groupKeyOf } from './grouped.js';
import { inhibited } from './inhibited.js';
import { repeatCandidate, repeatDue, repeatNumber } from './repeat-due.js';
import { resolvedUnnotified } from './resolved-unnotified.js';
import { silenced } from './silenced.js';
import { throttled } from './throttled.js';
import { type Candidate, type PipelineContext, type Stage, serviceOf } from './types.js';

/**
 * The stages in the order they run. What is muted for good goes first (silence, inhibition, a root cause,
 * a resolved notice nobody needs); then what holds indefinitely (flapping, a deployment); then the checks
 * of repeats and escalations against acknowledgement; timing last (grouping, throttling), so a notification
 * is held for time only when it will be sent.
 */
export const STAGES: readonly (readonly [string, Stage])[] = [
  ['silenced', silenced],
  ['inhibited', inhibited],
  ['caused-by', causedBy],
  ['resolved-unnotified', resolvedUnnotified],
  ['flapping', flapping],
  ['deploy-window', deployWindow],
  ['repeat-due', repeatDue],
  ['escalated', escalated],
  ['grouped', grouped],
  ['throttled', throttled],
];

export interface PipelineInput {
  readonly ctx: PipelineContext;
  /** Transitions of the alert writes that won. */
  readonly transitions: readonly AlertTransition[];
  readonly dashboardUrl?: string;
}

export interface TemplateError {
  readonly notificationId: string;
  readonly field: string;
  readonly error: string;
}

export interface PipelineOutput {
  /** Outbox records to create, each with every stage's decision. */
  readonly records: OutboxRecord[];
  /** The pipeline state that changed (to save). */
  readonly state: PipelineState;
  readonly templateErrors: TemplateError[];
}

const STATUS: Record<StageDecision['action'], OutboxStatus> = {
  pass: 'pending',
  hold: 'held',
  suppress: 'suppressed',
  fold: 'folded',
};

/** Runs the candidate through the stages: every reason given on the way, and the decision that ended it. */
export function decide(c: Candidate, ctx: PipelineContext): { final: StageDecision; decisions: Reason[] } {
  const decisions: Reason[] = [];
  for (const [, stage] of STAGES) {
    const d = stage(c, ctx);
    if (d.reason) decisions.push(d.reason);
    if (d.action !== 'pass') return { final: d, decisions };
  }
  const final: StageDecision = {
    action: 'pass',
    reason: reason('send', `no stage held or suppressed it: sent to ${c.topic}`),
  };
  decisions.push(final.reason!);
  return { final, decisions };
}

/** When the decision lets the notification out: now, at the end of a timed hold, or not by itself. */
function releaseAt(d: StageDecision, now: number): number | undefined {
  if (d.action === 'pass') return now;
  if (d.action === 'hold' && d.until !== undefined && d.reason.code !== 'deploy-window') return d.until;
  return undefined;
}

const emptyState = (alertId: string): AlertNotifyState => ({
  alertId,
  processedSeq: 0,
  lastAt: undefined,
  firing: undefined,
  stepsSeq: 0,
  repeats: 0,
  escalations: 0,
});

/** The alert's pipeline state after a notification of it was decided (released at `at`, or not). */
export function afterDecision(s: AlertNotifyState, c: Candidate, at: number | undefined): AlertNotifyState {
  let next: AlertNotifyState = { ...s, processedSeq: Math.max(s.processedSeq, c.transition ? c.seq : 0) };
  if (at !== undefined) next = { ...next, lastAt: Math.max(next.lastAt ?? 0, at) };
  const settledFiring = c.kind === 'flapping-ended' && c.alert.state === 'firing';
  if (c.kind === 'firing' || settledFiring) {
    next = { ...next, firing: at === undefined ? undefined : { seq: c.seq, at } };
    if (next.stepsSeq !== c.seq) next = { ...next, stepsSeq: c.seq, repeats: 0, escalations: 0 };
  } else if (c.kind === 'resolved') {
    next = { ...next, firing: undefined };
  } else if (c.kind === 'repeat' || c.kind === 'escalation') {
    const fresh = next.stepsSeq === c.seq ? next : { ...next, stepsSeq: c.seq, repeats: 0, escalations: 0 };
    next =
      c.kind === 'repeat'
        ? { ...fresh, repeats: Math.max(fresh.repeats, repeatNumber(c)) }
        : { ...fresh, escalations: Math.max(fresh.escalations, escalationStep(c)) };
  }
  return next;
}

/**
 * One pass of the notification pipeline after an evaluation: the candidates (transitions, recovered
 * transitions, due repeats and escalation steps) each go through the stages; each becomes an outbox
 * record whose status follows the decision that ended it (`pending` to send now, `held`, `suppressed`,
 * `folded`). Pure: the caller creates the records (conditionally on their ids) and saves the state.
 */
export function runPipeline(input: PipelineInput): PipelineOutput {
  const { now } = input.ctx;
  const notified = new Map(input.ctx.notified);
  const groups = new Map(input.ctx.groups);
  const ctx: PipelineContext = { ...input.ctx, notified, groups };
  const changedAlerts = new Map<string, AlertNotifyState>();
  const changedGroups = new Map<string, GroupState>();
  const records: OutboxRecord[] = [];
  const templateErrors: TemplateError[] = [];

  const { candidates, processed } = transitionCandidates(input.transitions, ctx);
  const withTransition = new Set(processed.keys());
  const handle = (c: Candidate) => {
    const { final, decisions } = decide(c, ctx);
    const at = releaseAt(final, now);
    const state = afterDecision(notified.get(c.alert.id) ?? emptyState(c.alert.id), c, at);
    notified.set(c.alert.id, state);
    changedAlerts.set(c.alert.id, state);
    const timedByGroup = decisions.some((r) => r.code === 'grouped' || r.code.startsWith('group-'));
    const group = timedByGroup ? groupKeyOf(c) : undefined;
    if (group && at !== undefined) {
      const g = { key: group, flushAt: Math.max(groups.get(group)?.flushAt ?? 0, at) };
      groups.set(group, g);
      changedGroups.set(group, g);
    }
    const showsDependents = c.kind === 'firing' || c.kind === 'repeat' || c.kind === 'escalation';
    const built = buildMessage(c, {
      decisions,
      group,
      dependents: showsDependents && final.action !== 'fold' ? dependentsOf(c.alert, ctx) : [],
      deploys: ctx.deploys.get(serviceOf(c.alert)) ?? [],
      dashboardUrl: input.dashboardUrl,
    });
    for (const e of built.templateErrors) templateErrors.push({ notificationId: c.id, ...e });
    records.push({
      id: c.id,
      alertId: c.alert.id,
      ruleId: c.alert.ruleId,
      kind: c.kind,
      topic: c.topic,
      subject: built.subject,
      message: built.message,
      attributes: built.attributes,
      status: STATUS[final.action],
      decisions,
      createdAt: now,
      attempts: 0,
      nextAttemptAt: final.action === 'pass' ? now : final.action === 'hold' ? final.until : undefined,
      lastError: undefined,
      sentAt: undefined,
      seq: c.seq,
      ...(group ? { group } : {}),
      ...(final.action === 'fold' ? { foldedInto: final.into } : {}),
    });
  };

  for (const c of candidates) handle(c);
  // Processed transitions that notify nobody (entering pending, say) still move `processedSeq` on.
  for (const [alertId, seq] of processed) {
    const s = notified.get(alertId) ?? emptyState(alertId);
    if (s.processedSeq < seq) {
      const next = { ...s, processedSeq: seq };
      notified.set(alertId, next);
      changedAlerts.set(alertId, next);
    }
  }
  for (const alert of ctx.alerts.values()) {
    if (withTransition.has(alert.id)) continue;
    const repeat = repeatCandidate(alert, ctx);
    if (repeat) handle(repeat);
    for (const step of escalationCandidates(alert, ctx)) handle(step);
  }
  return {
    records,
    state: { alerts: [...changedAlerts.values()], groups: [...changedGroups.values()] },
    templateErrors,
  };
}
