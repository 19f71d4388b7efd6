import type { Buckets } from './sketch.js';

/** The normalised telemetry model that both the native format and OTLP map onto. Times are epoch ms. */
export const METRIC_TYPES = ['counter', 'gauge', 'histogram'] as const;
export type MetricType = (typeof METRIC_TYPES)[number];

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const SPAN_KINDS = ['internal', 'server', 'client', 'producer', 'consumer'] as const;
export type SpanKind = (typeof SPAN_KINDS)[number];

export const SPAN_STATUSES = ['unset', 'ok', 'error'] as const;
export type SpanStatus = (typeof SPAN_STATUSES)[number];

export type Tags = Readonly<Record<string, string>>;
export type Attributes = Readonly<Record<string, string | number | boolean>>;

/** What one or more datapoints add to a rollup: every field merges by addition, min/max by comparison. */
export interface Contribution {
  count: number;
  sum: number;
  min: number;
  max: number;
  /** Log-scale bucket counts; absent for counters, whose distribution nobody asks for. */
  buckets?: Buckets;
}

export interface MetricPoint {
  readonly name: string;
  readonly type: MetricType;
  readonly unit?: string;
  /** Includes the reserved `environment` and (when given) `version` tags. */
  readonly tags: Tags;
  readonly timestamp: number;
  readonly contribution: Contribution;
  /** Where the datapoint came from (`metrics[3]`), for rejections after validation (cardinality). */
  readonly source?: string;
}

interface Stamped {
  readonly service: string;
  readonly environment: string;
  readonly version?: string;
}

export interface LogRecord extends Stamped {
  readonly timestamp: number;
  readonly level: LogLevel;
  readonly message: string;
  readonly attributes: Attributes;
  readonly traceId?: string;
  readonly spanId?: string;
}

export interface SpanRecord extends Stamped {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: SpanKind;
  readonly startTime: number;
  readonly endTime: number;
  readonly status: SpanStatus;
  readonly statusMessage?: string;
  readonly attributes: Attributes;
}

export interface ErrorEvent extends Stamped {
  readonly type: string;
  readonly message: string;
  readonly stack?: string;
  readonly timestamp: number;
  readonly attributes: Attributes;
  readonly traceId?: string;
  readonly spanId?: string;
}

export interface Batch extends Stamped {
  readonly metrics: MetricPoint[];
  readonly logs: LogRecord[];
  readonly spans: SpanRecord[];
  readonly errors: ErrorEvent[];
}

export const KINDS = ['metrics', 'logs', 'spans', 'errors'] as const;
export type Kind = (typeof KINDS)[number];
export type Counts = Record<Kind, number>;

export const zeroCounts = (): Counts => ({ metrics: 0, logs: 0, spans: 0, errors: 0 });

/** One item that was not kept, located like `metrics[3].value`. */
export interface Rejection {
  readonly path: string;
  readonly reason: string;
}
