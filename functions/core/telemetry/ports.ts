import type { ErrorGroupUpdate } from './error-groups.js';
import type { ErrorEvent, LogRecord, SpanRecord } from './model.js';
import type { RollupUpdate, SeriesInfo } from './rollup-plan.js';
import type { SummaryDelta } from './service-summary.js';
import type { WriteScope } from './write-scope.js';

/**
 * Write side of telemetry storage, owned by the core; `functions/adapters/dynamodb-telemetry-*.ts` implement it.
 * Every write that changes stored data is idempotent per batch (`scope.batchId`): applying a batch again
 * changes nothing that the first application stored, so a retry after a partial failure completes it exactly.
 */
export interface TelemetryWriter {
  /**
   * Registers series not seen before, admitting new ones only while the service has fewer than `limit`;
   * returns the ids that may be written (already known or newly admitted).
   */
  admitSeries(
    service: string,
    series: readonly SeriesInfo[],
    limit: number,
    now: number,
    scope: WriteScope,
  ): Promise<Set<string>>;
  /** Adds each update to its rollup atomically, once per batch: concurrent writers never lose one another's counts. */
  applyRollups(service: string, updates: readonly RollupUpdate[], scope: WriteScope): Promise<void>;
  /** Stores logs under keys derived from the batch, so a retried log overwrites itself. */
  putLogs(logs: readonly LogRecord[], scope: WriteScope): Promise<void>;
  putSpans(spans: readonly SpanRecord[], scope: WriteScope): Promise<void>;
  recordErrors(
    groups: readonly ErrorGroupUpdate[],
    events: readonly (ErrorEvent & { fingerprint: string })[],
    scope: WriteScope,
  ): Promise<void>;
  /**
   * Admits the batch's service and environment before anything of the batch is written: sets its last-seen
   * time; throws `LimitReachedError` for a new service past `maxServices` or a new environment past
   * `maxEnvironments`.
   */
  admitService(
    service: string,
    environment: string,
    now: number,
    limits: ServiceLimits,
    scope: WriteScope,
  ): Promise<void>;
  /** Adds the batch's contribution to its service's summary (`GET /v1/services`), once per batch. */
  applySummary(service: string, deltas: readonly SummaryDelta[], scope: WriteScope): Promise<void>;
}

export interface ServiceLimits {
  readonly maxServices: number;
  readonly maxEnvironments: number;
}
