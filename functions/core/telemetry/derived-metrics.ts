import type { MetricPoint, SpanRecord } from './model.js';
import { contributionOf } from './validate-batch.js';

/**
 * Metrics Vigil derives from spans at ingest, so the services list and the dependency map read a few
 * rollups instead of scanning spans: entry-span durations per service, and client-span durations per
 * (caller, callee). They are ordinary series (and count against the cardinality limit).
 */
export const DERIVED = {
  serverDuration: 'vigil.spans.server.duration',
  clientDuration: 'vigil.spans.client.duration',
} as const;

/** Attributes that name the other side of a client span, most specific first. */
const PEER_ATTRIBUTES = [
  'peer.service',
  'server.address',
  'net.peer.name',
  'http.host',
  'db.system',
  'messaging.system',
] as const;

export function peerOf(span: SpanRecord): string | undefined {
  for (const key of PEER_ATTRIBUTES) {
    const value = span.attributes[key];
    if (typeof value === 'string' && value !== '') return value.slice(0, 128);
  }
  return undefined;
}

/** A span where a request enters a service: server/consumer, or a root span of any kind. */
export const isEntrySpan = (span: SpanRecord) =>
  span.kind === 'server' || span.kind === 'consumer' || span.parentSpanId === undefined;

export function derivedMetrics(spans: readonly SpanRecord[]): MetricPoint[] {
  const out: MetricPoint[] = [];
  spans.forEach((span, index) => {
    const duration = span.endTime - span.startTime;
    const base = {
      environment: span.environment,
      ...(span.version ? { version: span.version } : {}),
      error: String(span.status === 'error'),
    };
    const point = (name: string, tags: Record<string, string>): MetricPoint => ({
      name,
      type: 'histogram',
      unit: 'ms',
      tags,
      timestamp: span.startTime,
      contribution: contributionOf([duration], true),
      source: `spans[${index}]`,
    });
    if (isEntrySpan(span)) out.push(point(DERIVED.serverDuration, base));
    if (span.kind === 'client' || span.kind === 'producer') {
      const peer = peerOf(span);
      if (peer) out.push(point(DERIVED.clientDuration, { ...base, peer }));
    }
  });
  return out;
}
