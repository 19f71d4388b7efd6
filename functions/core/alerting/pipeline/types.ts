import type {
  AlertNotifyState,
  AlertRecord,
  AlertTransition,
  GroupState,
  InhibitRule,
  NotificationKind,
  RuleCommon,
  Silence,
  StageDecision,
  TargetNode,
} from '../model.js';
import type { ActiveDeploy } from '../ports.js';

/** One notification the pipeline considers: a transition's, a repeat's or an escalation step's. */
export interface Candidate {
  /** The deterministic notification id (`alertId#seq`, `alertId#seq#repeat-2`, `alertId#seq#escalation-1`). */
  readonly id: string;
  readonly kind: NotificationKind;
  readonly alert: AlertRecord;
  readonly rule: RuleCommon | undefined;
  /** The alert's transition number the notification belongs to. */
  readonly seq: number;
  /** The transition it is about (repeats and escalations have none). */
  readonly transition: AlertTransition | undefined;
  /** The SNS topic name: the severity's, `info` for no data, the escalation step's. */
  readonly topic: string;
}

/** Pipeline settings that are not per rule. */
export interface PipelineOptions {
  /**
   * A resolved notice is delivered through a silence (and an inhibition) when the alert's firing notice was
   * released before the silence began. @default true
   */
  readonly resolvedThroughSilence: boolean;
  /** How often a notification held by a deploy window is looked at again. @default 60_000 */
  readonly deployRecheckMs: number;
}

export const DEFAULT_PIPELINE_OPTIONS: PipelineOptions = { resolvedThroughSilence: true, deployRecheckMs: 60_000 };

/** Everything the stages read, fetched by the caller before the pipeline runs (the stages are pure). */
export interface PipelineContext {
  readonly now: number;
  /** Every alert as it is after this evaluation. */
  readonly alerts: ReadonlyMap<string, AlertRecord>;
  readonly rules: ReadonlyMap<string, RuleCommon>;
  /** Silences not yet ended. */
  readonly silences: readonly Silence[];
  readonly inhibitRules: readonly InhibitRule[];
  /** Verifications running, by service (services with none are absent). */
  readonly deploys: ReadonlyMap<string, readonly ActiveDeploy[]>;
  readonly targets: ReadonlyMap<string, TargetNode>;
  readonly notified: ReadonlyMap<string, AlertNotifyState>;
  readonly groups: ReadonlyMap<string, GroupState>;
  readonly options: PipelineOptions;
}

export type Stage = (candidate: Candidate, ctx: PipelineContext) => StageDecision;

export const PASS: StageDecision = { action: 'pass' };

/** The alert's `service` label ('' when absent). */
export const serviceOf = (alert: AlertRecord): string => alert.labels.service ?? '';

/** Whether the alert is acknowledged at `now` (an acknowledgement may end by itself). */
export const isAcknowledged = (alert: AlertRecord, now: number): boolean =>
  alert.ack !== undefined && (alert.ack.until === undefined || alert.ack.until > now);

/**
 * The firing notice of the alert's current episode was released by now (one still held for later does not
 * count), and before `before` when given.
 */
export function firingWasNotified(c: Candidate, ctx: PipelineContext, before = Number.POSITIVE_INFINITY): boolean {
  const firing = ctx.notified.get(c.alert.id)?.firing;
  return firing !== undefined && firing.seq <= c.seq && firing.at <= ctx.now && firing.at < before;
}

const toSeconds = (ms: number) => `${Math.round(ms / 1000)} s`;

/** A duration for a sentence: `90 s`, `5 min`, `4 h`. */
export function humanDuration(ms: number): string {
  if (ms < 120_000) return toSeconds(ms);
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 360_000) / 10} h`;
}

export const iso = (ms: number): string => new Date(ms).toISOString();
