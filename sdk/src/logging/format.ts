import { safeStringify } from '../internal/safe-json.js';

/** A log line before formatting (pretty lines and shipped records). */
export interface LogRecord {
  readonly timestamp: number;
  readonly level: string;
  readonly service: string;
  readonly message: string;
  readonly traceId?: string;
  readonly spanId?: string;
  readonly attributes: Record<string, unknown>;
}

/** Keys every JSON line starts with; attributes of the same name are left out rather than duplicated. */
const CORE_KEYS = new Set(['timestamp', 'level', 'service', 'message', 'traceId', 'spanId']);

export function isCoreKey(key: string): boolean {
  return CORE_KEYS.has(key);
}

/**
 * One attribute value as JSON, or `undefined` when it is left out (undefined, functions, symbols).
 * Scalars are written directly; objects and errors go through {@link safeStringify}.
 */
export function jsonValue(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return `"${value}"`;
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      return value === null ? 'null' : safeStringify(value);
  }
}

const MAX_KEYS = 4096;
const keyPrefixes = new Map<string, string>();

/** `,"key":` — attribute keys repeat from line to line, so each is quoted once (up to 4,096 of them). */
function keyPrefix(key: string): string {
  let prefix = keyPrefixes.get(key);
  if (prefix === undefined) {
    prefix = `,${JSON.stringify(key)}:`;
    if (keyPrefixes.size < MAX_KEYS) keyPrefixes.set(key, prefix);
  }
  return prefix;
}

/** `,"key":value` for one attribute, or '' when the value is left out. */
export function jsonPair(key: string, value: unknown): string {
  const json = jsonValue(value);
  return json === undefined ? '' : keyPrefix(key) + json;
}

let lastMs = Number.NaN;
let lastIso = '';
let secondStart = Number.NaN;
let secondPrefix = '';

/**
 * ISO-8601 time (`2026-01-01T00:00:00.000Z`). The part up to the seconds is formatted once per
 * second and the last value once per millisecond: a busy server logs many lines in the same one.
 */
export function isoTime(ms: number): string {
  if (ms === lastMs) return lastIso;
  lastMs = ms;
  const millis = ms % 1000;
  if (!Number.isInteger(ms) || millis < 0) {
    lastIso = new Date(ms).toISOString();
    return lastIso;
  }
  const second = ms - millis;
  if (second !== secondStart) {
    secondStart = second;
    secondPrefix = new Date(second).toISOString().slice(0, 20);
  }
  lastIso = `${secondPrefix}${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
  return lastIso;
}

/** Human-readable: `2025-01-01T00:00:00.000Z INFO  [svc] message key=value …`. */
export function formatPretty(record: LogRecord): string {
  let out = `${isoTime(record.timestamp)} ${record.level.toUpperCase().padEnd(5)} [${record.service}] ${record.message}`;
  for (const [k, v] of Object.entries(record.attributes)) {
    out += ` ${k}=${typeof v === 'string' ? v : safeStringify(v)}`;
  }
  if (record.traceId) out += ` traceId=${record.traceId}`;
  return `${out}\n`;
}
