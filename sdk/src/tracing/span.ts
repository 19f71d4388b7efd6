import { ATTRIBUTE_LIMITS, cut, flattenAttributes } from '../export/attributes.js';
import type { WireSpan } from '../export/wire.js';
import { nowMs } from '../internal/clock.js';
import { serializeError } from '../internal/safe-json.js';
import { tracerState } from './state.js';
import { formatTraceparent, type SpanContext } from './traceparent.js';

export const SpanKind = {
  internal: 'internal',
  server: 'server',
  client: 'client',
  producer: 'producer',
  consumer: 'consumer',
} as const;
export type SpanKind = (typeof SpanKind)[keyof typeof SpanKind];

export type SpanStatus = 'unset' | 'ok' | 'error';
export type AttributeValue = string | number | boolean | ReadonlyArray<string | number | boolean>;

export interface SpanEvent {
  readonly name: string;
  readonly timestamp: number;
  readonly attributes?: Record<string, unknown>;
}

/**
 * A timed operation. Unsampled spans still carry ids (so `traceparent` propagates with flag 00)
 * but record nothing and are never exported.
 */
const NOT_RECORDED: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

export class Span implements SpanContext {
  /** What was recorded; unsampled spans share one frozen empty object (they record nothing). */
  readonly attributes: Record<string, unknown>;
  events: SpanEvent[] | undefined;
  status: SpanStatus = 'unset';
  statusMessage: string | undefined;
  endTime: number | undefined;

  constructor(
    readonly traceId: string,
    readonly spanId: string,
    readonly parentSpanId: string | undefined,
    public name: string,
    readonly kind: SpanKind,
    readonly sampled: boolean,
    readonly startTime: number,
    readonly traceState?: string,
  ) {
    this.attributes = sampled ? {} : NOT_RECORDED;
  }

  get ended(): boolean {
    return this.endTime !== undefined;
  }

  isRecording(): boolean {
    return this.sampled && this.endTime === undefined;
  }

  setAttribute(key: string, value: AttributeValue | undefined): this {
    if (this.isRecording() && value !== undefined && typeof key === 'string') this.attributes[key] = value;
    return this;
  }

  setAttributes(attributes: Readonly<Record<string, AttributeValue | undefined>>): this {
    if (!this.isRecording() || attributes === null || typeof attributes !== 'object') return this;
    for (const key of Object.keys(attributes)) {
      const value = attributes[key];
      if (value !== undefined) this.attributes[key] = value;
    }
    return this;
  }

  addEvent(name: string, attributes?: Record<string, unknown>, timestamp = nowMs()): this {
    if (!this.isRecording()) return this;
    if (!this.events) this.events = [];
    this.events.push({ name, timestamp, ...(attributes ? { attributes } : {}) });
    return this;
  }

  /** `ok` or `error`; an explicit `ok` is not overwritten by the middleware's status mapping. */
  setStatus(status: SpanStatus, message?: string): this {
    if (this.endTime !== undefined) return this;
    this.status = status;
    this.statusMessage = message;
    return this;
  }

  updateName(name: string): this {
    if (this.endTime === undefined) this.name = name;
    return this;
  }

  /**
   * Adds an `exception` event (OpenTelemetry semantic conventions) and sends the error to Vigil
   * as an error event, even when the span is not sampled.
   * @example
   * try { await charge(); } catch (e) { span.recordException(e); span.setStatus('error'); throw e; }
   */
  recordException(error: unknown, timestamp = nowMs()): this {
    const e = error instanceof Error ? serializeError(error) : { type: 'Error', message: String(error) };
    this.addEvent(
      'exception',
      {
        'exception.type': e.type,
        'exception.message': e.message,
        ...(e.stack ? { 'exception.stacktrace': e.stack } : {}),
      },
      timestamp,
    );
    try {
      tracerState.errorSink?.(this, error, timestamp);
    } catch {
      // the error sink never breaks the caller
    }
    return this;
  }

  /** Ends the span (idempotent) and hands it to the exporter if sampled. */
  end(endTime = nowMs()): void {
    if (this.endTime !== undefined) return;
    this.endTime = endTime;
    if (this.sampled) tracerState.exporter?.onEnd(this);
  }

  spanContext(): SpanContext {
    return this;
  }

  /** The header to send downstream so the next service continues this trace. */
  traceparent(): string {
    return formatTraceparent(this);
  }

  /** The `/v1/ingest` shape (times rounded to whole milliseconds, as the contract shows). */
  toWire(): WireSpan {
    const out: WireSpan = {
      traceId: this.traceId,
      spanId: this.spanId,
      name: cut(this.name, 256),
      kind: this.kind,
      startTime: Math.round(this.startTime),
      endTime: Math.round(this.endTime ?? this.startTime),
      status: this.status,
      attributes: flattenAttributes({
        ...this.attributes,
        'duration.ms': (this.endTime ?? this.startTime) - this.startTime,
      }),
    };
    if (this.parentSpanId) out.parentSpanId = this.parentSpanId;
    if (this.statusMessage) out.statusMessage = cut(this.statusMessage, 8192);
    if (this.events) out.events = this.events.map((e) => ({ ...e, timestamp: Math.round(e.timestamp) }));
    return out;
  }

  /**
   * `JSON.stringify(this.toWire())`, written directly for the usual span (flat attributes, no
   * events) without building the wire object; anything else takes the general path.
   */
  toJson(): string {
    if (this.events) return JSON.stringify(this.toWire());
    const end = this.endTime ?? this.startTime;
    let attributes = '';
    let count = 0;
    for (const key in this.attributes) {
      if (key === 'duration.ms') continue;
      const value = this.attributes[key];
      let json: string;
      if (typeof value === 'string') {
        if (value.length > ATTRIBUTE_LIMITS.valueLength) return JSON.stringify(this.toWire());
        json = JSON.stringify(value);
      } else if (typeof value === 'number' && Number.isFinite(value)) json = String(value);
      else if (typeof value === 'boolean') json = value ? 'true' : 'false';
      else return JSON.stringify(this.toWire());
      if (++count >= ATTRIBUTE_LIMITS.count || key.length > ATTRIBUTE_LIMITS.keyLength) {
        return JSON.stringify(this.toWire());
      }
      attributes += `${JSON.stringify(key)}:${json},`;
    }
    let out = `{"traceId":${JSON.stringify(this.traceId)},"spanId":${JSON.stringify(this.spanId)},"name":${JSON.stringify(cut(this.name, 256))},"kind":${JSON.stringify(this.kind)},"startTime":${Math.round(this.startTime)},"endTime":${Math.round(end)},"status":${JSON.stringify(this.status)},"attributes":{${attributes}"duration.ms":${jsonNumber(end - this.startTime)}}`;
    if (this.parentSpanId) out += `,"parentSpanId":${JSON.stringify(this.parentSpanId)}`;
    if (this.statusMessage) out += `,"statusMessage":${JSON.stringify(cut(this.statusMessage, 8192))}`;
    return `${out}}`;
  }
}

function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : JSON.stringify(String(value));
}
