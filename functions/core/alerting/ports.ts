import type {
  AlertNotifyState,
  AlertRecord,
  AlertTransition,
  GroupState,
  OutboxRecord,
  RuleCommon,
  Silence,
  TargetNode,
} from './model.js';

/**
 * The seams of one evaluation run, in the order the evaluator function calls them:
 *
 *   alerts = AlertStore.list()
 *   result = RuleEvaluator.evaluate(alerts, now)          rules × data → next alert states + transitions
 *   for each changed alert: AlertStore.put(alert, expectedVersion)  a lost race drops that alert's transitions
 *   pipeline(transitions of the writes that won) → OutboxStore.create(record)  (conditional on the id)
 *   deliver pending outbox records (and retry failed ones with backoff) → Notifier
 *
 * `RuleEvaluator` is implemented in functions/core/alerting/evaluate*.ts (rules, data, state machine);
 * the stores and the pipeline in functions/core/alerting/pipeline/ and functions/adapters/.
 */
export interface RuleStatus {
  readonly ruleId: string;
  readonly evaluatedAt: number;
  /** `error`: the rule's data could not be read (a CloudWatch failure, say); its alerts were left as they were. */
  readonly health: 'ok' | 'nodata' | 'error';
  readonly error?: string;
  /** Alerts of the rule after this evaluation that are pending or firing. */
  readonly active: number;
}

export interface EvaluationResult {
  /** Every rule evaluated, with the fields the pipeline needs (grouping, throttling, escalation, deploy policy). */
  readonly rules: readonly RuleCommon[];
  readonly statuses: readonly RuleStatus[];
  /**
   * Alerts whose record changed in this evaluation (new ones included), each carrying the `version` it was
   * read with (new alerts: 0); the store writes `version + 1` on the condition that the stored one is still
   * `version`. Unchanged alerts are not listed.
   */
  readonly changed: readonly AlertRecord[];
  /** Transitions, each belonging to one alert of `changed`. */
  readonly transitions: readonly AlertTransition[];
}

export interface RuleEvaluator {
  /** Never throws for one rule's data failure: that rule's status says `error` and its alerts are untouched. */
  evaluate(previous: readonly AlertRecord[], now: number): Promise<EvaluationResult>;
}

export interface AlertStore {
  list(): Promise<AlertRecord[]>;
  get(id: string): Promise<AlertRecord | undefined>;
  /** Writes `{...alert, version: alert.version + 1}` if the stored version is `alert.version` (or absent when 0). */
  put(alert: AlertRecord): Promise<'written' | 'conflict'>;
}

export interface OutboxStore {
  /** Adds the record unless one with its id exists: a second evaluator writing the same transition adds nothing. */
  create(record: OutboxRecord): Promise<'created' | 'exists'>;
  /**
   * Records due at `now`, oldest due first: `pending` ones to (re)deliver and `held` ones whose hold is to be
   * reconsidered, each with `nextAttemptAt` ≤ now.
   */
  due(now: number, limit: number): Promise<OutboxRecord[]>;
  /**
   * Writes the record on the condition that the stored one still has `expected.status` and
   * `expected.attempts` (what the caller read): `false` if another run changed it first.
   */
  update(record: OutboxRecord, expected: Pick<OutboxRecord, 'status' | 'attempts'>): Promise<boolean>;
  /**
   * Claims a due `pending` record for delivery until `until`, on the condition that it is unchanged
   * (same `attempts`, not claimed by another dispatcher whose claim is still running): `false` if it lost.
   */
  claim(record: OutboxRecord, now: number, until: number): Promise<boolean>;
  get(id: string): Promise<OutboxRecord | undefined>;
  /** The notification log, newest first (GET /v1/notifications). */
  list(options: OutboxListOptions): Promise<OutboxPage>;
  /** Every notification of one alert, oldest first (GET /v1/alerts/{id}). */
  forAlert(alertId: string, now: number): Promise<OutboxRecord[]>;
}

export interface OutboxListOptions {
  readonly limit: number;
  readonly cursor?: string;
  readonly topic?: string;
  readonly now: number;
}

export interface OutboxPage {
  readonly items: OutboxRecord[];
  readonly nextCursor?: string;
}

/** A deployment verification running for a service (implemented by the verification slice). */
export interface ActiveDeploy {
  readonly verificationId: string;
  readonly version: string;
  readonly environment: string;
  readonly startedAt: number;
}

export interface DeployWindows {
  active(service: string, now: number): Promise<readonly ActiveDeploy[]>;
}

export interface SilenceStore {
  /** Silences not yet ended at `now` (active, scheduled, or recurring). */
  list(now: number): Promise<Silence[]>;
  get(id: string): Promise<Silence | undefined>;
  put(silence: Silence): Promise<void>;
  /** Ends the silence at `now` (DELETE /v1/silences/{id}); `false` if there is none. */
  expire(id: string, now: number): Promise<boolean>;
}

/** The probe targets' dependency graph, for `caused-by`. */
export interface TargetGraph {
  list(): Promise<readonly TargetNode[]>;
}

export interface PipelineState {
  readonly alerts: readonly AlertNotifyState[];
  readonly groups: readonly GroupState[];
}

/** What the pipeline remembers between evaluations; `save` writes only what changed. */
export interface PipelineStateStore {
  load(): Promise<PipelineState>;
  save(changes: PipelineState): Promise<void>;
}

/** Where a notification that failed every attempt goes (SQS in AWS), with an alarm on it. */
export interface DeadLetterQueue {
  send(record: OutboxRecord): Promise<void>;
}
