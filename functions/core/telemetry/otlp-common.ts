/**
 * OTLP/JSON plumbing shared by traces, logs and metrics: AnyValue → scalar, KeyValue lists → objects,
 * nanosecond strings → ms, ids (hex, or base64 from protobuf-JSON encoders) → lower-case hex, and the
 * resource → (service, environment, version) mapping. Anything malformed maps to undefined and is then
 * rejected by the native validators with a path, never thrown.
 */
import { FIXED_LIMITS } from './limits.js';

export type Json = Record<string, unknown>;

export const asObject = (x: unknown): Json | undefined =>
  typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Json) : undefined;
export const asArray = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);

/**
 * Bounds on converting an OTLP `AnyValue`. Composite values (`arrayValue`, `kvlistValue`) are converted
 * once, bottom up, into one JSON string: nesting deeper than `maxDepth` levels is replaced by
 * `DEPTH_MARKER`, and the walk stops once the converted text would pass the field's character limit (then
 * the JSON is cut and ends with `TRUNCATED_MARKER`). Work is proportional to what is kept, never to the
 * nesting or size of what was sent, and the recursion is at most `maxDepth` deep.
 */
export const ANY_VALUE_LIMITS = { maxDepth: 16 } as const;
export const DEPTH_MARKER = '…[nested deeper than 16 levels]';
export const TRUNCATED_MARKER = '…[truncated]';

type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };

function scalarValue(v: Json): string | number | boolean | undefined {
  if ('stringValue' in v) return typeof v.stringValue === 'string' ? v.stringValue : undefined;
  if ('boolValue' in v) return typeof v.boolValue === 'boolean' ? v.boolValue : undefined;
  if ('intValue' in v || 'doubleValue' in v) {
    const n = Number('intValue' in v ? v.intValue : v.doubleValue);
    return Number.isFinite(n) ? n : undefined;
  }
  if ('bytesValue' in v) return typeof v.bytesValue === 'string' ? v.bytesValue : undefined;
  return undefined;
}

/** One level of a composite value; `budget.left` is the characters still to spend (an estimate of JSON size). */
function toPlain(value: unknown, depth: number, budget: { left: number; cut: boolean }): Plain {
  const v = asObject(value);
  budget.left -= 2;
  if (!v) return null;
  const isArray = 'arrayValue' in v;
  if (!isArray && !('kvlistValue' in v)) {
    const s = scalarValue(v) ?? null;
    budget.left -= typeof s === 'string' ? s.length : 8;
    return s;
  }
  if (depth >= ANY_VALUE_LIMITS.maxDepth) {
    budget.left -= DEPTH_MARKER.length;
    return DEPTH_MARKER;
  }
  const entries = asArray(asObject(isArray ? v.arrayValue : v.kvlistValue)?.values);
  if (isArray) {
    const out: Plain[] = [];
    for (const entry of entries) {
      if (budget.left <= 0) {
        budget.cut = true;
        break;
      }
      out.push(toPlain(entry, depth + 1, budget));
    }
    return out;
  }
  // No prototype: a key named __proto__ is data, not a way to change the object.
  const out = Object.create(null) as { [key: string]: Plain };
  for (const entry of entries) {
    if (budget.left <= 0) {
      budget.cut = true;
      break;
    }
    const kv = asObject(entry);
    if (!kv || typeof kv.key !== 'string') continue;
    budget.left -= kv.key.length + 4;
    out[kv.key] = toPlain(kv.value, depth + 1, budget);
  }
  return out;
}

/**
 * AnyValue → a scalar. Strings, numbers and booleans pass through; arrays and key-value lists become one
 * JSON string of at most `maxChars` characters (see `ANY_VALUE_LIMITS`).
 */
export function anyValue(
  value: unknown,
  maxChars: number = FIXED_LIMITS.attributeValueLength,
): string | number | boolean | undefined {
  const v = asObject(value);
  if (!v) return undefined;
  if (!('arrayValue' in v) && !('kvlistValue' in v)) return scalarValue(v);
  const budget = { left: maxChars, cut: false };
  const text = JSON.stringify(toPlain(v, 0, budget));
  if (text.length <= maxChars && !budget.cut) return text;
  const cut = Math.max(0, maxChars - TRUNCATED_MARKER.length);
  // Never split a surrogate pair: a lone half would not be valid text.
  const end = /[\uD800-\uDBFF]/.test(text[cut - 1] ?? '') ? cut - 1 : cut;
  return text.slice(0, end) + TRUNCATED_MARKER;
}

export function attributes(
  list: unknown,
  maxChars: number = FIXED_LIMITS.attributeValueLength,
): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const entry of asArray(list)) {
    const kv = asObject(entry);
    if (!kv || typeof kv.key !== 'string') continue;
    const value = anyValue(kv.value, maxChars);
    if (value !== undefined) out[kv.key] = value;
  }
  return out;
}

/** Nanoseconds since the epoch (string or number) → ms; 0 or absent → undefined ("now"). */
export function nanosToMs(value: unknown): number | undefined {
  if (typeof value === 'string' && /^\d+$/.test(value)) {
    // Strings carry 19 digits: cut to ms in integer arithmetic to keep precision.
    const ms = value.length > 6 ? Number(value.slice(0, -6)) : 0;
    return ms > 0 ? ms : undefined;
  }
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return Math.floor(value / 1e6);
  return undefined;
}

/** OTLP/JSON ids are hex; some encoders send protobuf-JSON base64. Both become lower-case hex. */
export function otlpId(value: unknown, bytes: number): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  if (/^[0-9a-fA-F]+$/.test(value) && value.length === bytes * 2) return value.toLowerCase();
  const decoded = Buffer.from(value, 'base64');
  if (decoded.length === bytes && /^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return decoded.toString('hex');
  return value; // wrong: the validator rejects it with a path
}

export interface Stamp {
  readonly service: string;
  readonly environment?: string;
  readonly version?: string;
  /** Remaining resource attributes (host, cloud, sdk…), merged into logs' and spans' attributes. */
  readonly resource: Record<string, string | number | boolean>;
}

export function resourceStamp(resource: unknown): Stamp {
  const attrs = attributes(asObject(resource)?.attributes);
  const str = (key: string) =>
    typeof attrs[key] === 'string' && attrs[key] !== '' ? (attrs[key] as string) : undefined;
  // OTel service names are free text; Vigil's are restricted (they are part of keys), so map the rest to _.
  const service = (str('service.name') ?? 'unknown_service')
    .replace(/[^A-Za-z0-9_.:-]/g, '_')
    .replace(/^[.:-]/, '_')
    .slice(0, 64);
  const environment = str('deployment.environment.name') ?? str('deployment.environment');
  const version = str('service.version');
  const {
    'service.name': _n,
    'service.version': _v,
    'deployment.environment': _e,
    'deployment.environment.name': _e2,
    ...rest
  } = attrs;
  return { service, ...(environment ? { environment } : {}), ...(version ? { version } : {}), resource: rest };
}

/** Keeps only what fits the native attribute limit, resource attributes last (item attributes win). */
export function mergeAttributes(
  item: Record<string, string | number | boolean>,
  resource: Record<string, string | number | boolean>,
  max: number,
): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = { ...item };
  for (const [k, v] of Object.entries(resource)) {
    if (Object.keys(out).length >= max) break;
    if (!(k in out)) out[k] = v;
  }
  return out;
}

/** A native batch per resource: what `validateBatch` takes. */
export interface NativeBatch extends Json {
  service: string;
  environment?: string;
  version?: string;
}

export function nativeBatch(stamp: Stamp): NativeBatch {
  return {
    service: stamp.service,
    ...(stamp.environment ? { environment: stamp.environment } : {}),
    ...(stamp.version ? { version: stamp.version } : {}),
  };
}
