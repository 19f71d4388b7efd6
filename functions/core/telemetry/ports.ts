import type { ErrorGroupUpdate } from './error-groups.js';
import type { ErrorEvent, LogRecord, SpanRecord } from './model.js';
import type { RollupUpdate, SeriesInfo } from './rollup-plan.js';

/** Write side of telemetry storage, owned by the core; `functions/adapters/dynamodb-telemetry-*.ts` implement it. */
export interface TelemetryWriter {
  /**
   * Registers series not seen before, admitting new ones only while the service has fewer than `limit`;
   * returns the ids that may be written (already known or newly admitted).
   */
  admitSeries(service: string, series: readonly SeriesInfo[], limit: number, now: number): Promise<Set<string>>;
  /** Adds each update to its rollup atomically: concurrent writers never lose one another's counts. */
  applyRollups(service: string, updates: readonly RollupUpdate[]): Promise<void>;
  putLogs(logs: readonly LogRecord[]): Promise<void>;
  putSpans(spans: readonly SpanRecord[]): Promise<void>;
  recordErrors(
    groups: readonly ErrorGroupUpdate[],
    events: readonly (ErrorEvent & { fingerprint: string })[],
  ): Promise<void>;
  touchService(service: string, environment: string, now: number): Promise<void>;
}
