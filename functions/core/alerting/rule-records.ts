import type { RuleStatus } from './ports.js';

/**
 * How rules are kept: the definition as it was given (through `PUT /v1/rules/{id}` or the `rules` of
 * vigil.config.json), already validated, so that what `GET` shows can be sent back with `PUT` unchanged.
 * The evaluator parses each definition into its typed rule at every run.
 */
export type RuleOrigin = 'api' | 'config';

export interface RuleRecord {
  readonly id: string;
  /** The rule's JSON as given, without `id`. */
  readonly definition: Readonly<Record<string, unknown>>;
  /** `config` rules belong to vigil.config.json: the API refuses to change or delete them. */
  readonly origin: RuleOrigin;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A rule's last evaluation, as the evaluator wrote it (with the SLO's error budget for `burn_rate` rules). */
export interface StoredRuleStatus extends RuleStatus {
  readonly durationMs?: number;
  readonly budget?: Readonly<Record<string, unknown>>;
}

export interface RuleStore {
  list(): Promise<RuleRecord[]>;
  get(id: string): Promise<RuleRecord | undefined>;
  put(rule: RuleRecord): Promise<void>;
  /** Removes the rule and its last status. */
  delete(id: string): Promise<void>;
  putStatuses(statuses: readonly StoredRuleStatus[]): Promise<void>;
  statuses(): Promise<StoredRuleStatus[]>;
  status(id: string): Promise<StoredRuleStatus | undefined>;
}
