import { cut } from '../export/attributes.js';
import { vigilPipe } from '../export/vigil-pipe.js';
import type { WireError } from '../export/wire.js';
import { serializeError } from '../internal/safe-json.js';
import type { Span } from './span.js';

/** An exception as a Vigil error event, tied to its trace and span. */
export function toWireError(span: Span | undefined, error: unknown, timestamp: number): WireError {
  const e = error instanceof Error ? serializeError(error) : { type: 'Error', message: String(error) };
  return {
    type: cut(String(e.type) || 'Error', 256),
    message: cut(String(e.message), 8192),
    ...(typeof e.stack === 'string' ? { stack: cut(e.stack, 32768) } : {}),
    timestamp: Math.round(timestamp),
    ...(span ? { traceId: span.traceId, spanId: span.spanId } : {}),
  };
}

/** Sends every exception recorded on a span to Vigil's `errors` stream. */
export function vigilErrorSink(span: Span, error: unknown, timestamp: number): void {
  vigilPipe.add({ kind: 'error', data: toWireError(span, error, timestamp) });
}
