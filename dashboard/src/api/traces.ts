import { get } from './client.js';

export interface TraceSummary {
  readonly traceId: string;
  readonly service: string;
  readonly name: string;
  readonly startTime: number;
  readonly durationMs: number;
  readonly status: string;
}

export interface Span {
  readonly service: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: string;
  readonly startTime: number;
  readonly endTime: number;
  readonly durationMs: number;
  readonly status: string;
  readonly attributes: Record<string, unknown>;
  readonly events?: readonly { name: string; timestamp?: number; attributes?: Record<string, unknown> }[];
}

export const listTraces = (q: { service?: string; from: number; to: number; minDurationMs?: number; limit?: number }) =>
  get<{ items: TraceSummary[] }>('/v1/traces', { ...q });

export const getTrace = (traceId: string) =>
  get<{ traceId: string; spans: Span[] }>(`/v1/traces/${encodeURIComponent(traceId)}`);
