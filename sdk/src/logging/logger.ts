import { getResource } from '../config/resource.js';
import { currentContext } from '../context/store.js';
import { cut, flattenAttributes } from '../export/attributes.js';
import { vigilPipe } from '../export/vigil-pipe.js';
import type { WireLog } from '../export/wire.js';
import { countDrop, DropReason } from '../internal/diagnostics.js';
import { reportInternalError } from '../internal/safe.js';
import type { Span } from '../tracing/span.js';
import { formatPretty, isCoreKey, isoTime, jsonPair, type LogRecord } from './format.js';
import { LogLevel, type LogLevelName } from './levels.js';
import { logState } from './state.js';

export type LogAttributes = Record<string, unknown>;

type LogArgs =
  | [message: string, attributes?: LogAttributes | Error]
  | [attributes: LogAttributes | Error, message?: string];

/** A binding written ahead of time: bindings are serialised once, when the logger is made (as pino does). */
interface BoundPair {
  readonly key: string;
  readonly json: string;
}

function serializeBindings(bindings: LogAttributes): BoundPair[] {
  const pairs: BoundPair[] = [];
  if (bindings === null || typeof bindings !== 'object') return pairs;
  for (const key of Object.keys(bindings)) {
    if (isCoreKey(key)) continue;
    const json = jsonPair(key, bindings[key]);
    if (json !== '') pairs.push({ key, json });
  }
  return pairs;
}

let serviceName = '';
let serviceJson = '""';

function serviceJsonOf(name: string): string {
  if (name !== serviceName) {
    serviceName = name;
    serviceJson = JSON.stringify(name);
  }
  return serviceJson;
}

let lastMessage = '';
let lastMessageJson = '""';

/** Messages repeat (an access log writes the same one every time): the last one's JSON is kept. */
function messageJson(message: string): string {
  if (message !== lastMessage) {
    lastMessage = message;
    lastMessageJson = JSON.stringify(message);
  }
  return lastMessageJson;
}

function lineHead(level: LogLevelName, timestamp: number, message: string, span: Span | undefined): string {
  const head = `{"timestamp":"${isoTime(timestamp)}","level":"${level}","service":${serviceJsonOf(getResource().serviceName)},"message":${messageJson(message)}`;
  // Span ids are always lowercase hex (generated, or checked when they came from outside): no escaping needed.
  return span ? `${head},"traceId":"${span.traceId}","spanId":"${span.spanId}"` : head;
}

/** Keys a call gives itself, which win over context fields and bindings. */
interface KeySet {
  has(key: string): boolean;
}

const NO_KEYS: KeySet = { has: () => false };
const NO_PAIRS = { pairs: '', keys: NO_KEYS };

/** The call's own attributes as `,"key":value` pairs, and the set of their keys. */
function callPairs(extra: LogAttributes | undefined): { pairs: string; keys: KeySet } {
  if (extra === undefined) return NO_PAIRS;
  let pairs = '';
  for (const key in extra) if (!isCoreKey(key)) pairs += jsonPair(key, extra[key]);
  return { pairs, keys: { has: (key) => Object.hasOwn(extra, key) } };
}

/**
 * One JSON line, built as a string in a single pass: `timestamp`, `level`, `service`, `message`,
 * trace ids, then the context fields, the logger's bindings and the call's attributes (already
 * written as `pairs`). A key given twice is written once: the call's attributes win over bindings,
 * bindings over context fields.
 */
function jsonLine(
  level: LogLevelName,
  timestamp: number,
  message: string,
  span: Span | undefined,
  fields: Readonly<Record<string, unknown>>,
  bound: readonly BoundPair[],
  pairs: string,
  keys: KeySet,
): string {
  let out = lineHead(level, timestamp, message, span);
  for (const key in fields) {
    if (isCoreKey(key) || keys.has(key) || boundHas(bound, key)) continue;
    out += jsonPair(key, fields[key]);
  }
  for (const pair of bound) if (!keys.has(pair.key)) out += pair.json;
  return `${out}${pairs}}\n`;
}

function output(line: string): void {
  if (logState.console) logState.write(line);
  const file = logState.file;
  if (file) {
    if (file.writableLength > logState.maxFileBufferBytes) countDrop('log', DropReason.queueFull);
    else file.write(line);
  }
}

function boundHas(bound: readonly BoundPair[], key: string): boolean {
  for (const pair of bound) if (pair.key === key) return true;
  return false;
}

/**
 * A structured JSON logger. Each line carries the service, the active trace and span ids, the
 * fields of the current {@link withLogContext}, the logger's bindings and the call's attributes.
 * Bindings are serialised when the child logger is made, so later changes to a bound object do not show.
 * @example
 * logger.info('order placed', { orderId: '42' });
 * logger.error('payment failed', err);           // error serialised as { type, message, stack }
 * const log = logger.child({ component: 'cart' });
 * log.warn({ items: 3 }, 'cart is large');      // pino-style argument order works too
 */
export class Logger {
  private readonly bound: readonly BoundPair[];

  constructor(private readonly bindings: LogAttributes = {}) {
    this.bound = serializeBindings(bindings);
  }

  /** A logger whose lines all carry `bindings` (merged over this logger's). */
  child(bindings: LogAttributes): Logger {
    return new Logger({ ...this.bindings, ...bindings });
  }

  isLevelEnabled(level: LogLevelName): boolean {
    return LogLevel[level] >= logState.level;
  }

  trace(...args: LogArgs): void;
  trace(first: unknown, second?: unknown): void {
    if (LogLevel.trace >= logState.level) this.write('trace', first, second);
  }
  debug(...args: LogArgs): void;
  debug(first: unknown, second?: unknown): void {
    if (LogLevel.debug >= logState.level) this.write('debug', first, second);
  }
  info(...args: LogArgs): void;
  info(first: unknown, second?: unknown): void {
    if (LogLevel.info >= logState.level) this.write('info', first, second);
  }
  warn(...args: LogArgs): void;
  warn(first: unknown, second?: unknown): void {
    if (LogLevel.warn >= logState.level) this.write('warn', first, second);
  }
  error(...args: LogArgs): void;
  error(first: unknown, second?: unknown): void {
    if (LogLevel.error >= logState.level) this.write('error', first, second);
  }
  fatal(...args: LogArgs): void;
  fatal(first: unknown, second?: unknown): void {
    if (LogLevel.fatal >= logState.level) this.write('fatal', first, second);
  }

  private write(level: LogLevelName, first: unknown, second: unknown): void {
    try {
      let message: unknown;
      let given: unknown;
      if (typeof first === 'string') {
        message = first;
        given = second;
      } else {
        given = first;
        message = typeof second === 'string' ? second : first instanceof Error ? first.message : '';
      }
      const extra: LogAttributes | undefined =
        given instanceof Error
          ? { error: given }
          : given !== null && typeof given === 'object'
            ? (given as LogAttributes)
            : undefined;
      const { pairs, keys } = logState.json && (logState.console || logState.file) ? callPairs(extra) : NO_PAIRS;
      this.emit(level, typeof message === 'string' ? message : String(message), pairs, keys, () => extra, Date.now());
    } catch (error) {
      countDrop('log', DropReason.internalError);
      reportInternalError('logger', error);
    }
  }

  /**
   * @internal For the HTTP middleware's access log: the call's attributes arrive already written
   * as `,"key":value` pairs (their keys in `keys`, which win over context fields and bindings);
   * `attributes()` builds the object only when a pretty line or shipping needs it.
   */
  writePrepared(
    level: LogLevelName,
    message: string,
    pairs: string,
    keys: ReadonlySet<string>,
    attributes: () => LogAttributes,
    timestamp: number = Date.now(),
  ): void {
    if (LogLevel[level] < logState.level) return;
    try {
      this.emit(level, message, pairs, keys, attributes, timestamp);
    } catch (error) {
      countDrop('log', DropReason.internalError);
      reportInternalError('logger', error);
    }
  }

  /** Writes the line (JSON or pretty) to console and file, and ships it when shipping is on. */
  private emit(
    level: LogLevelName,
    message: string,
    pairs: string,
    keys: KeySet,
    attributes: () => LogAttributes | undefined,
    timestamp: number,
  ): void {
    const context = currentContext();
    const span = context.span;
    if (logState.console || logState.file) {
      output(
        logState.json
          ? jsonLine(level, timestamp, message, span, context.fields, this.bound, pairs, keys)
          : formatPretty(this.record(level, timestamp, message, span, context.fields, attributes())),
      );
    }
    if (logState.ship) ship(this.record(level, timestamp, message, span, context.fields, attributes()));
  }

  private record(
    level: LogLevelName,
    timestamp: number,
    message: string,
    span: Span | undefined,
    fields: Readonly<Record<string, unknown>>,
    extra: LogAttributes | undefined,
  ): LogRecord {
    return {
      timestamp,
      level,
      service: getResource().serviceName,
      message,
      ...(span ? { traceId: span.traceId, spanId: span.spanId } : {}),
      attributes: { ...fields, ...this.bindings, ...extra },
    };
  }
}

function ship(record: LogRecord): void {
  const data: WireLog = {
    timestamp: record.timestamp,
    level: record.level,
    message: cut(record.message, 8192),
    attributes: flattenAttributes(record.attributes),
  };
  if (record.traceId) {
    data.traceId = record.traceId;
    data.spanId = record.spanId;
  }
  // Serialised now: the queue keeps one string per line (attributes are flat scalars, so this cannot throw).
  vigilPipe.add({ kind: 'log', json: JSON.stringify(data) });
}

/** The root logger. */
export const logger = new Logger();

/**
 * A logger bound to `bindings` (component, module…).
 * @example
 * const log = getLogger({ component: 'payments' });
 */
export function getLogger(bindings: LogAttributes = {}): Logger {
  return new Logger(bindings);
}
