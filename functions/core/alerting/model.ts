import type { Reason } from '../reason.js';
import type { Matcher } from './matchers.js';

/**
 * The alerting contract shared by the evaluator (rules → alert state → transitions) and the notification
 * pipeline (transitions → decisions → outbox → delivery). Pure types; no AWS, no `process.env`.
 * Times are epoch milliseconds; durations are milliseconds once parsed (`"5m"` → 300_000).
 */
export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type Labels = Readonly<Record<string, string>>;

export interface Annotations {
  readonly summary?: string;
  readonly description?: string;
  readonly runbook?: string;
}

/** What a rule does when its query returns no data (Grafana's `noData`; Prometheus has only "inactive"). */
export const NO_DATA_POLICIES = ['nodata', 'ok', 'alerting', 'keep'] as const;
export type NoDataPolicy = (typeof NO_DATA_POLICIES)[number];

/** During a deployment verification of the rule's service: hold notifications (default) or notify. */
export type DuringDeploy = 'hold' | 'notify';

export interface EscalationStep {
  /** Since the alert started firing, unacknowledged. */
  readonly afterMs: number;
  /** A topic name (`escalation`, `critical`, …). */
  readonly topic: string;
}

/** The fields every rule type has, after validation and defaults (the type-specific part is `spec`). */
export interface RuleCommon {
  readonly id: string;
  readonly type: 'threshold' | 'absence' | 'health' | 'error_rate' | 'anomaly' | 'burn_rate';
  readonly severity: Severity;
  /** Added to every alert's labels; `service`, `rule` (the id) and `severity` are always present too. */
  readonly labels: Labels;
  /** Templates with `{{ value }}` and `{{ labels.NAME }}`; rendered per alert at evaluation. */
  readonly annotations: Annotations;
  readonly forMs: number;
  readonly keepFiringForMs: number;
  readonly noData: NoDataPolicy;
  readonly duringDeploy: DuringDeploy;
  /** Notification grouping labels. @default ['service'] */
  readonly groupBy: readonly string[];
  readonly groupWaitMs: number;
  readonly groupIntervalMs: number;
  readonly repeatIntervalMs: number;
  /** The gap below which the same alert is never notified twice. @default 300_000 */
  readonly throttlePeriodMs: number;
  readonly escalation: readonly EscalationStep[];
  /** `api` rules are managed through `/v1/rules`; `config` rules come from vigil.config.json and are read-only there. */
  readonly origin: 'api' | 'config';
}

/** Alert states, as a Prometheus alerting rule's plus `nodata`; `resolved` is a former firing alert. */
export const ALERT_STATES = ['inactive', 'pending', 'firing', 'resolved', 'nodata'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export interface Acknowledgement {
  readonly by: string;
  readonly comment?: string;
  readonly at: number;
  /** Ends by itself at this time; undefined = until the alert resolves. */
  readonly until?: number;
}

export interface ManualResolve {
  readonly by: string;
  readonly comment?: string;
  readonly at: number;
}

/**
 * One alert: a rule and one label set. Written with a condition on `version`, so two evaluations racing
 * never both apply a transition (and so never both send its notification).
 */
export interface AlertRecord {
  /** Deterministic: rule id + a hash of the label set. */
  readonly id: string;
  readonly ruleId: string;
  readonly labels: Labels;
  readonly annotations: Annotations;
  readonly severity: Severity;
  readonly state: AlertState;
  /** The last evaluated value (undefined without data). */
  readonly value: number | undefined;
  /** Pending since. */
  readonly activeAt: number | undefined;
  readonly firedAt: number | undefined;
  readonly resolvedAt: number | undefined;
  /** The condition went false while firing; resolves `keepFiringFor` after this. */
  readonly keepFiringSince: number | undefined;
  readonly lastEvalAt: number;
  /** Times of recent state changes, for flap detection (bounded). */
  readonly changes: readonly number[];
  readonly flapping: boolean;
  readonly ack: Acknowledgement | undefined;
  readonly manualResolve: ManualResolve | undefined;
  /** Transitions so far; the next transition's number is `seq + 1`. Part of each notification id. */
  readonly seq: number;
  /** Optimistic-concurrency version of the stored item. */
  readonly version: number;
}

/** A state change of one alert, produced by the evaluator's pure step function. */
export interface AlertTransition {
  readonly alertId: string;
  readonly ruleId: string;
  /** The alert's transition number (1, 2, …); with `alertId` it makes the notification id. */
  readonly seq: number;
  readonly from: AlertState;
  readonly to: AlertState;
  readonly at: number;
  readonly value: number | undefined;
  /** Why: `condition-true`, `for-elapsed`, `condition-false`, `keep-firing-elapsed`, `no-data`, `manual-resolve`, … */
  readonly reason: Reason;
  /**
   * Set on the transition that marks an alert flapping (`started`, reason `flapping-started`) or settled
   * (`ended`, reason `flapping-ended`); `from` and `to` are then the same state.
   */
  readonly flapping?: 'started' | 'ended';
}

/** The deterministic id of a transition's notification: travels with the message so receivers can deduplicate. */
export const notificationIdOf = (alertId: string, seq: number): string => `${alertId}#${seq}`;

/** What kind of message a pipeline run is about. */
export type NotificationKind =
  | 'firing'
  | 'resolved'
  | 'nodata'
  | 'repeat'
  | 'escalation'
  | 'flapping-started'
  | 'flapping-ended'
  /** A notification outside the alert pipeline (a deployment event), recorded in the same log. */
  | 'event';

/**
 * Each pipeline stage is a pure function of its inputs returning one of these, with a named reason that is
 * stored with the notification record, logged and shown by the API:
 * `pass` goes on to the next stage; `hold` keeps it for later (grouping, deploy window, flapping);
 * `suppress` ends it without delivery (silenced, inhibited, throttled); `fold` merges it into another
 * alert's notification (`caused-by`).
 */
export type StageDecision =
  | { readonly action: 'pass'; readonly reason?: Reason }
  | { readonly action: 'hold'; readonly reason: Reason; readonly until?: number }
  | { readonly action: 'suppress'; readonly reason: Reason }
  | { readonly action: 'fold'; readonly reason: Reason; readonly into: string };

export type OutboxStatus = 'pending' | 'sent' | 'held' | 'suppressed' | 'folded' | 'dead';

/**
 * The notification log is an outbox: a record is written (with its deterministic id, conditionally, so a
 * second writer cannot add it twice) before it is published; a failed publish is retried from it by the
 * next evaluation with backoff, and one that keeps failing is marked `dead` and sent to the DLQ.
 */
export interface OutboxRecord {
  readonly id: string;
  readonly alertId: string;
  readonly ruleId: string;
  readonly kind: NotificationKind;
  readonly topic: string;
  readonly subject: string;
  readonly message: Readonly<Record<string, unknown>>;
  readonly attributes: Readonly<Record<string, string>>;
  readonly status: OutboxStatus;
  /** Every stage's decision, in pipeline order. */
  readonly decisions: readonly Reason[];
  readonly createdAt: number;
  readonly attempts: number;
  readonly nextAttemptAt: number | undefined;
  readonly lastError: string | undefined;
  readonly sentAt: number | undefined;
  /** The alert transition number this notification belongs to (repeats and escalations share it). */
  readonly seq?: number;
  /** The grouping key (topic and `groupBy` label values) the notification was timed with. */
  readonly group?: string;
  /** `folded`: the notification of the alert it was folded into (`caused-by`). */
  readonly foldedInto?: string;
  /** Claimed for delivery by a dispatcher until this time (two dispatchers never both publish it). */
  readonly claimedUntil?: number;
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A weekly maintenance window: on these days from `start` to `end` (`HH:MM`, local time of the silence's zone). */
export interface WeeklyWindow {
  readonly days: readonly Weekday[];
  readonly start: string;
  /** `24:00` is the end of the day; an `end` before `start` runs past midnight into the next day. */
  readonly end: string;
}

/**
 * A silence: alerts matching every matcher get no notification while it is active. Time-bounded by
 * `startsAt`/`endsAt`; with `weekly`, active only inside those windows (in `timeZone`, an IANA name)
 * between `startsAt` and `endsAt` (a recurring maintenance window).
 */
export interface Silence {
  readonly id: string;
  readonly matchers: readonly Matcher[];
  readonly startsAt: number;
  readonly endsAt: number;
  readonly comment: string;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly weekly?: readonly WeeklyWindow[];
  /** @default 'UTC' */
  readonly timeZone?: string;
}

/** Alertmanager's inhibit rule: a firing alert matching `source` mutes alerts matching `target` with equal `equal` labels. */
export interface InhibitRule {
  readonly source: readonly Matcher[];
  readonly target: readonly Matcher[];
  readonly equal: readonly string[];
}

/** A probe target in the dependency graph (`dependsOn` from its definition). */
export interface TargetNode {
  readonly id: string;
  readonly service: string;
  readonly dependsOn: readonly string[];
}

/** What the pipeline remembers per alert between evaluations (throttling, repeats, escalation, recovery). */
export interface AlertNotifyState {
  readonly alertId: string;
  /** The alert's last transition the pipeline has processed (a higher `seq` on the alert is recovered). */
  readonly processedSeq: number;
  /** When the alert's last notification was (or is due to be) released for delivery. */
  readonly lastAt: number | undefined;
  /** The firing notice of the current episode: its transition number and release time. */
  readonly firing: { readonly seq: number; readonly at: number } | undefined;
  /** Repeats and escalation steps created for transition `stepsSeq`. */
  readonly stepsSeq: number;
  readonly repeats: number;
  readonly escalations: number;
}

/** A notification group: the time of its latest (possibly future) flush. */
export interface GroupState {
  readonly key: string;
  readonly flushAt: number;
}
