import type { AlertRecord, AlertTransition, OutboxRecord, RuleCommon } from './model.js';

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
  /** Records due for (re)delivery at `now`: `pending` with `nextAttemptAt` ≤ now. */
  due(now: number, limit: number): Promise<OutboxRecord[]>;
  update(record: OutboxRecord): Promise<void>;
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
