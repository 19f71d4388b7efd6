import { currentContext, runInContext } from '../context/store.js';
import { nowMs } from '../internal/clock.js';
import { countRepair, RepairReason } from '../internal/diagnostics.js';
import { newSpanId, newTraceId } from './ids.js';
import { type AttributeValue, Span, type SpanKind } from './span.js';
import { tracerState } from './state.js';
import { parseTraceparent, type SpanContext } from './traceparent.js';

export interface SpanOptions {
  /** @default 'internal' */
  readonly kind?: SpanKind;
  readonly attributes?: Readonly<Record<string, AttributeValue | undefined>>;
  /** Parent span or remote context; `null` starts a new trace. @default the active span */
  readonly parent?: Span | SpanContext | null;
  /** Incoming request headers: `traceparent`/`tracestate` are read from them (they win over the active span). */
  readonly headers?: Readonly<Record<string, string | string[] | undefined>>;
  /** Milliseconds since the epoch. @default now */
  readonly startTime?: number;
}

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

/** Ids as W3C Trace Context defines them (lowercase hex, not all zero); spans only ever carry such ids. */
function isValidContext(context: SpanContext): boolean {
  return (
    typeof context === 'object' &&
    context !== null &&
    typeof context.traceId === 'string' &&
    typeof context.spanId === 'string' &&
    TRACE_ID.test(context.traceId) &&
    SPAN_ID.test(context.spanId) &&
    !/^0+$/.test(context.traceId) &&
    !/^0+$/.test(context.spanId)
  );
}

/** Head sampling: a parent's decision is honoured; a root span is sampled with probability `sampleRate`. */
export function shouldSample(
  parent: SpanContext | undefined,
  sampleRate: number,
  random: () => number = Math.random,
): boolean {
  if (parent) return parent.sampled;
  if (sampleRate >= 1) return true;
  if (sampleRate <= 0) return false;
  return random() < sampleRate;
}

/**
 * Starts a span; you must call `end()`. Prefer {@link withSpan}, which ends it for you and makes it
 * the active span for everything called inside.
 * @example
 * const span = startSpan('GET /cart', { kind: 'server', headers: req.headers });
 * …
 * span.end();
 */
export function startSpan(name: string, options?: SpanOptions): Span {
  let parent: SpanContext | undefined;
  if (options?.headers) {
    const headers = options.headers;
    parent = parseTraceparent(headers.traceparent, headers.tracestate).context;
  }
  if (!parent && options?.parent !== null) {
    const given = options?.parent;
    if (given === undefined) parent = currentContext().span;
    else if (given instanceof Span || isValidContext(given)) parent = given;
    else countRepair(RepairReason.invalidTraceparent); // a hand-made parent with bad ids: start a new trace
  }
  const sampled = shouldSample(parent, tracerState.sampleRate);
  const span = new Span(
    parent ? parent.traceId : newTraceId(),
    newSpanId(),
    parent?.spanId,
    typeof name === 'string' ? name : String(name),
    options?.kind ?? 'internal',
    sampled,
    options?.startTime ?? nowMs(),
    parent?.traceState,
  );
  if (options?.attributes && sampled) span.setAttributes(options.attributes);
  return span;
}

/**
 * The server span of an incoming request: continues a valid `traceparent` (honouring its sampled
 * flag), otherwise starts a root span sampled at `sampleRate`. The request path for the hot path of
 * the HTTP middleware, without an options object or a look at the active span.
 */
export function startServerSpan(
  method: string,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  path: string,
  startTime: number = nowMs(),
): Span {
  const header = headers.traceparent;
  const parent = header === undefined ? undefined : parseTraceparent(header, headers.tracestate).context;
  const sampled = shouldSample(parent, tracerState.sampleRate);
  const span = new Span(
    parent ? parent.traceId : newTraceId(),
    newSpanId(),
    parent?.spanId,
    method,
    'server',
    sampled,
    startTime,
    parent?.traceState,
  );
  if (sampled) span.setAttribute('http.request.method', method).setAttribute('url.path', path);
  return span;
}

/**
 * Runs `fn` inside a new active span, ends it when `fn` returns or settles, and records an
 * exception (status `error`) if it throws or rejects. The error is re-thrown unchanged.
 * @example
 * const total = await withSpan('price cart', async (span) => {
 *   span.setAttribute('cart.items', items.length);
 *   return price(items);
 * });
 */
export function withSpan<T>(name: string, fn: (span: Span) => T, options?: SpanOptions): T {
  const span = startSpan(name, options);
  const parent = currentContext();
  return runInContext({ span, fields: parent.fields }, () => {
    let result: T;
    try {
      result = fn(span);
    } catch (error) {
      span.recordException(error).setStatus('error', error instanceof Error ? error.message : String(error));
      span.end();
      throw error;
    }
    if (result instanceof Promise) {
      return result.then(
        (value) => {
          span.end();
          return value;
        },
        (error: unknown) => {
          span.recordException(error).setStatus('error', error instanceof Error ? error.message : String(error));
          span.end();
          throw error;
        },
      ) as T;
    }
    span.end();
    return result;
  });
}

/** Runs `fn` with `span` active (for spans from {@link startSpan}). */
export function runWithSpan<T>(span: Span, fn: () => T): T {
  return runInContext({ span, fields: currentContext().fields }, fn);
}

/** The active span, if any. */
export function getActiveSpan(): Span | undefined {
  return currentContext().span;
}
