import type { LogLevel, LogRecord, SpanRecord } from './model.js';
import type { SeriesInfo } from './rollup-plan.js';
import type { Buckets } from './sketch.js';

/** Read side of telemetry storage. Every method returns live items only (TTL-expired ones are filtered). */
export interface RollupRow {
  readonly stepStart: number;
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  readonly buckets: Buckets;
}

export interface ServiceSeen {
  readonly service: string;
  readonly lastSeen: number;
  readonly environments: readonly string[];
}

export interface LogQuery {
  readonly service?: string;
  readonly traceId?: string;
  readonly level?: LogLevel;
  readonly q?: string;
  readonly from: number;
  readonly to: number;
  readonly limit: number;
  readonly cursor?: string;
}

export interface StoredSpan extends SpanRecord {
  readonly durationMs: number;
}

export interface ErrorGroup {
  readonly service: string;
  readonly fingerprint: string;
  readonly type: string;
  readonly message: string;
  readonly frames: readonly string[];
  readonly count: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly versions: readonly string[];
  readonly environments: readonly string[];
  readonly sample: Record<string, unknown>;
}

export interface TelemetryReader {
  /** Series of a service, optionally only those named `name`. */
  listSeries(service: string, name?: string): Promise<SeriesInfo[]>;
  readRollups(service: string, seriesId: string, from: number, to: number): Promise<RollupRow[]>;
  listServices(): Promise<ServiceSeen[]>;
  queryLogs(query: LogQuery): Promise<{ items: LogRecord[]; nextCursor?: string }>;
  trace(traceId: string): Promise<StoredSpan[]>;
  /** Entry spans of a service, newest first. */
  entrySpans(service: string, from: number, to: number, limit: number, minDurationMs?: number): Promise<StoredSpan[]>;
  errorGroups(service: string): Promise<ErrorGroup[]>;
}
