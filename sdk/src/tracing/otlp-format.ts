import type { VigilResource } from '../config/resource.js';
import type { Span } from './span.js';

export const SDK_NAME = '@vigil/sdk';
export const SDK_VERSION = '0.1.0';

const KIND: Readonly<Record<string, number>> = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };
const STATUS: Readonly<Record<string, number>> = { unset: 0, ok: 1, error: 2 };

type AnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { arrayValue: { values: AnyValue[] } };

export interface KeyValue {
  key: string;
  value: AnyValue;
}

/** Milliseconds (with fraction) to the nanosecond decimal string OTLP/JSON uses, without float overflow. */
export function msToNanos(ms: number): string {
  const whole = Math.floor(ms);
  const frac = Math.round((ms - whole) * 1e6);
  return (BigInt(whole) * 1_000_000n + BigInt(frac)).toString();
}

function anyValue(value: unknown): AnyValue {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  try {
    return { stringValue: JSON.stringify(value) ?? String(value) };
  } catch {
    return { stringValue: String(value) };
  }
}

export function toKeyValues(attributes: Readonly<Record<string, unknown>>): KeyValue[] {
  return Object.entries(attributes)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([key, v]) => ({ key, value: anyValue(v) }));
}

/** An OTLP/HTTP JSON `ExportTraceServiceRequest` for Jaeger, Tempo or any collector. */
export function toOtlpTraces(spans: readonly Span[], resource: VigilResource): object {
  const resourceAttributes: Record<string, unknown> = {
    'service.name': resource.serviceName,
    'telemetry.sdk.name': SDK_NAME,
    'telemetry.sdk.language': 'nodejs',
    'telemetry.sdk.version': SDK_VERSION,
  };
  if (resource.version) resourceAttributes['service.version'] = resource.version;
  if (resource.environment) resourceAttributes['deployment.environment.name'] = resource.environment;
  return {
    resourceSpans: [
      {
        resource: { attributes: toKeyValues(resourceAttributes) },
        scopeSpans: [
          {
            scope: { name: SDK_NAME, version: SDK_VERSION },
            spans: spans.map((s) => ({
              traceId: s.traceId,
              spanId: s.spanId,
              ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
              ...(s.traceState ? { traceState: s.traceState } : {}),
              name: s.name,
              kind: KIND[s.kind] ?? 0,
              startTimeUnixNano: msToNanos(s.startTime),
              endTimeUnixNano: msToNanos(s.endTime ?? s.startTime),
              attributes: toKeyValues(s.attributes),
              events: (s.events ?? []).map((e) => ({
                timeUnixNano: msToNanos(e.timestamp),
                name: e.name,
                attributes: toKeyValues(e.attributes ?? {}),
              })),
              status: { code: STATUS[s.status] ?? 0, ...(s.statusMessage ? { message: s.statusMessage } : {}) },
            })),
          },
        ],
      },
    ],
  };
}
