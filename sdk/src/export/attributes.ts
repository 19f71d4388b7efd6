import { serializeError } from '../internal/safe-json.js';

/** Vigil's ingest limits for attributes (functions/core/telemetry/limits.ts). */
export const ATTRIBUTE_LIMITS = { count: 64, keyLength: 128, valueLength: 4096, depth: 4 } as const;

export type FlatValue = string | number | boolean;

/**
 * Attributes as Vigil accepts them: scalar values only. Nested objects and errors are flattened to
 * dotted keys (`error.type`, `error.message`, `error.stack`), arrays and deeper values become JSON
 * strings, long strings are cut, non-finite numbers become strings, and at most 64 keys are kept.
 */
export function flattenAttributes(input: Readonly<Record<string, unknown>> | undefined): Record<string, FlatValue> {
  const out: Record<string, FlatValue> = {};
  if (!input) return out;
  if (isFlat(input)) return { ...(input as Record<string, FlatValue>) };
  let count = 0;
  const seen: unknown[] = [];
  const put = (key: string, value: FlatValue): void => {
    if (count >= ATTRIBUTE_LIMITS.count || key.length === 0) return;
    const k = key.length > ATTRIBUTE_LIMITS.keyLength ? key.slice(0, ATTRIBUTE_LIMITS.keyLength) : key;
    if (k in out) return;
    out[k] =
      typeof value === 'string' && value.length > ATTRIBUTE_LIMITS.valueLength
        ? value.slice(0, ATTRIBUTE_LIMITS.valueLength)
        : value;
    count++;
  };
  const visit = (prefix: string, value: unknown, depth: number): void => {
    if (value === undefined || value === null || typeof value === 'function' || typeof value === 'symbol') return;
    if (typeof value === 'string' || typeof value === 'boolean') {
      put(prefix, value);
      return;
    }
    if (typeof value === 'number') {
      put(prefix, Number.isFinite(value) ? value : String(value));
      return;
    }
    if (typeof value === 'bigint') {
      put(prefix, value.toString());
      return;
    }
    if (value instanceof Date) {
      put(prefix, Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString());
      return;
    }
    if (typeof value !== 'object') return;
    if (seen.includes(value)) {
      put(prefix, '[Circular]');
      return;
    }
    const source = value instanceof Error ? serializeError(value) : value;
    if (Array.isArray(source) || depth >= ATTRIBUTE_LIMITS.depth) {
      let text: string;
      try {
        text = JSON.stringify(source) ?? '';
      } catch {
        text = '[Unserializable]';
      }
      put(prefix, text);
      return;
    }
    seen.push(value);
    for (const key of Object.keys(source)) {
      let child: unknown;
      try {
        child = (source as Record<string, unknown>)[key];
      } catch {
        continue;
      }
      visit(prefix ? `${prefix}.${key}` : key, child, depth + 1);
    }
    seen.pop();
  };
  visit('', input, 0);
  return out;
}

/** The common case: ≤64 short keys with finite numbers, booleans and short strings only. */
function isFlat(input: Readonly<Record<string, unknown>>): boolean {
  let n = 0;
  for (const key in input) {
    if (++n > ATTRIBUTE_LIMITS.count || key.length > ATTRIBUTE_LIMITS.keyLength || !Object.hasOwn(input, key))
      return false;
    const v = input[key];
    if (typeof v === 'string') {
      if (v.length > ATTRIBUTE_LIMITS.valueLength) return false;
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) return false;
    } else if (typeof v !== 'boolean') return false;
  }
  return true;
}

/** Cuts a string to `max` characters. */
export function cut(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}
