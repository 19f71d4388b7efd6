import { getResource } from '../config/resource.js';
import { currentContext } from '../context/store.js';
import { cut, flattenAttributes } from '../export/attributes.js';
import { vigilPipe } from '../export/vigil-pipe.js';
import { countDrop, DropReason } from '../internal/diagnostics.js';
import { reportInternalError } from '../internal/safe.js';
import { formatJson, formatPretty, type LogRecord } from './format.js';
import { LogLevel, type LogLevelName } from './levels.js';
import { logState } from './state.js';

export type LogAttributes = Record<string, unknown>;

type LogArgs =
  | [message: string, attributes?: LogAttributes | Error]
  | [attributes: LogAttributes | Error, message?: string];

/**
 * A structured JSON logger. Each line carries the service, the active trace and span ids, the
 * fields of the current {@link withLogContext}, the logger's bindings and the call's attributes.
 * @example
 * logger.info('order placed', { orderId: '42' });
 * logger.error('payment failed', err);           // error serialised as { type, message, stack }
 * const log = logger.child({ component: 'cart' });
 * log.warn({ items: 3 }, 'cart is large');      // pino-style argument order works too
 */
export class Logger {
  constructor(private readonly bindings: LogAttributes = {}) {}

  /** A logger whose lines all carry `bindings` (merged over this logger's). */
  child(bindings: LogAttributes): Logger {
    return new Logger({ ...this.bindings, ...bindings });
  }

  isLevelEnabled(level: LogLevelName): boolean {
    return LogLevel[level] >= logState.level;
  }

  trace(...args: LogArgs): void {
    if (LogLevel.trace >= logState.level) this.write('trace', args);
  }
  debug(...args: LogArgs): void {
    if (LogLevel.debug >= logState.level) this.write('debug', args);
  }
  info(...args: LogArgs): void {
    if (LogLevel.info >= logState.level) this.write('info', args);
  }
  warn(...args: LogArgs): void {
    if (LogLevel.warn >= logState.level) this.write('warn', args);
  }
  error(...args: LogArgs): void {
    if (LogLevel.error >= logState.level) this.write('error', args);
  }
  fatal(...args: LogArgs): void {
    if (LogLevel.fatal >= logState.level) this.write('fatal', args);
  }

  private write(level: LogLevelName, args: LogArgs): void {
    try {
      const [first, second] = args;
      let message: string;
      let extra: LogAttributes | Error | undefined;
      if (typeof first === 'string') {
        message = first;
        extra = second as LogAttributes | Error | undefined;
      } else {
        extra = first;
        message = typeof second === 'string' ? second : first instanceof Error ? first.message : '';
      }
      const context = currentContext();
      const attributes: LogAttributes = { ...context.fields, ...this.bindings };
      if (extra instanceof Error) attributes.error = extra;
      else if (extra !== null && typeof extra === 'object') Object.assign(attributes, extra);
      const span = context.span;
      const record: LogRecord = {
        timestamp: Date.now(),
        level,
        service: getResource().serviceName,
        message: typeof message === 'string' ? message : String(message),
        ...(span ? { traceId: span.traceId, spanId: span.spanId } : {}),
        attributes,
      };
      emit(record);
    } catch (error) {
      countDrop('log', DropReason.internalError);
      reportInternalError('logger', error);
    }
  }
}

function emit(record: LogRecord): void {
  const needsLine = logState.console || logState.file;
  if (needsLine) {
    const line = logState.json ? formatJson(record) : formatPretty(record);
    if (logState.console) logState.write(line);
    const file = logState.file;
    if (file) {
      if (file.writableLength > logState.maxFileBufferBytes) countDrop('log', DropReason.queueFull);
      else file.write(line);
    }
  }
  if (logState.ship) {
    vigilPipe.add({
      kind: 'log',
      data: {
        timestamp: record.timestamp,
        level: record.level,
        message: cut(record.message, 8192),
        attributes: flattenAttributes(record.attributes),
        ...(record.traceId ? { traceId: record.traceId, spanId: record.spanId } : {}),
      },
    });
  }
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
