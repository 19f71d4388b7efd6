import { FIXED_LIMITS } from './limits.js';
import type { SpanKind, SpanStatus } from './model.js';
import {
  asArray,
  asObject,
  attributes,
  mergeAttributes,
  type NativeBatch,
  nanosToMs,
  nativeBatch,
  otlpId,
  resourceStamp,
} from './otlp-common.js';

/**
 * OTLP `ExportTraceServiceRequest` (JSON) → one native batch per resource. Span events named `exception`
 * (what `span.recordException` writes) also become error events, so traced services get error groups
 * without a second integration.
 */
const KINDS: Record<string, SpanKind> = {
  '0': 'internal',
  '1': 'internal',
  '2': 'server',
  '3': 'client',
  '4': 'producer',
  '5': 'consumer',
  SPAN_KIND_UNSPECIFIED: 'internal',
  SPAN_KIND_INTERNAL: 'internal',
  SPAN_KIND_SERVER: 'server',
  SPAN_KIND_CLIENT: 'client',
  SPAN_KIND_PRODUCER: 'producer',
  SPAN_KIND_CONSUMER: 'consumer',
};

const STATUSES: Record<string, SpanStatus> = {
  '0': 'unset',
  '1': 'ok',
  '2': 'error',
  STATUS_CODE_UNSET: 'unset',
  STATUS_CODE_OK: 'ok',
  STATUS_CODE_ERROR: 'error',
};

export function mapOtlpTraces(body: unknown): NativeBatch[] {
  const batches: NativeBatch[] = [];
  for (const rs of asArray(asObject(body)?.resourceSpans)) {
    const stamp = resourceStamp(asObject(rs)?.resource);
    const spans: unknown[] = [];
    const errors: unknown[] = [];
    for (const ss of asArray(asObject(rs)?.scopeSpans)) {
      for (const raw of asArray(asObject(ss)?.spans)) {
        const span = asObject(raw) ?? {};
        const status = asObject(span.status) ?? {};
        const traceId = otlpId(span.traceId, 16);
        const spanId = otlpId(span.spanId, 8);
        const parentSpanId = otlpId(span.parentSpanId, 8);
        const attrs = mergeAttributes(attributes(span.attributes), stamp.resource, FIXED_LIMITS.attributeCount);
        spans.push({
          traceId,
          spanId,
          ...(parentSpanId ? { parentSpanId } : {}),
          name: span.name,
          kind: KINDS[String(span.kind ?? 0)] ?? 'internal',
          startTime: nanosToMs(span.startTimeUnixNano),
          endTime: nanosToMs(span.endTimeUnixNano),
          status: STATUSES[String(status.code ?? 0)] ?? 'unset',
          ...(typeof status.message === 'string' && status.message ? { statusMessage: status.message } : {}),
          attributes: attrs,
        });
        for (const rawEvent of asArray(span.events)) {
          const event = asObject(rawEvent) ?? {};
          if (event.name !== 'exception') continue;
          const ea = attributes(event.attributes);
          errors.push({
            type: ea['exception.type'] === undefined ? 'Error' : String(ea['exception.type']),
            message: ea['exception.message'] === undefined ? '' : String(ea['exception.message']),
            ...(typeof ea['exception.stacktrace'] === 'string' ? { stack: ea['exception.stacktrace'] } : {}),
            timestamp: nanosToMs(event.timeUnixNano) ?? nanosToMs(span.startTimeUnixNano),
            traceId,
            spanId,
            attributes: { span: String(span.name ?? '') },
          });
        }
      }
    }
    if (spans.length || errors.length) batches.push({ ...nativeBatch(stamp), spans, errors });
  }
  return batches;
}
