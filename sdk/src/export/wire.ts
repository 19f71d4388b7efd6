/** The `/v1/ingest` body, as fixed by the ingestion issue. */

export interface WireMetric {
  name: string;
  type: 'counter' | 'gauge' | 'histogram';
  value?: number;
  values?: number[];
  unit?: string;
  tags?: Record<string, string>;
  timestamp?: number;
}

export interface WireLog {
  timestamp: number;
  level: string;
  message: string;
  attributes?: Record<string, unknown>;
  traceId?: string;
  spanId?: string;
}

export interface WireSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: string;
  startTime: number;
  endTime: number;
  status: 'ok' | 'error' | 'unset';
  statusMessage?: string;
  attributes?: Record<string, unknown>;
  events?: Array<{ name: string; timestamp: number; attributes?: Record<string, unknown> }>;
}

export interface WireError {
  type: string;
  message: string;
  stack?: string;
  timestamp: number;
  traceId?: string;
  spanId?: string;
  attributes?: Record<string, unknown>;
}

/** One queued item: an object serialised at send time, or (shipped logs) JSON written when queued. */
export type PipeItem =
  | { readonly kind: 'metric'; readonly data: WireMetric }
  | { readonly kind: 'log'; readonly data: WireLog }
  | { readonly kind: 'span'; readonly data: WireSpan | WireSpanSource }
  | { readonly kind: 'error'; readonly data: WireError }
  | JsonItem;

/** A span queued as it ended; it is serialised when its batch is sent, off the request path. */
export interface WireSpanSource {
  toJson(): string;
}

/**
 * An item already serialised to its `/v1/ingest` JSON. Shipped log lines are queued this
 * way: a string is all the queue keeps of them, which the garbage collector copies but never traces.
 */
export interface JsonItem {
  readonly kind: 'log';
  readonly json: string;
}
