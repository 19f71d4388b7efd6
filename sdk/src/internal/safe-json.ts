import { countRepair, RepairReason } from './diagnostics.js';

const MAX_DEPTH = 10;

/** `{ type, message, stack }` plus `cause` and own enumerable fields (code, statusCode…). */
export function serializeError(error: Error, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {
    type: error.name || error.constructor?.name || 'Error',
    message: error.message,
  };
  if (error.stack) out.stack = error.stack;
  for (const key of Object.keys(error)) {
    if (key !== 'name' && key !== 'message' && key !== 'stack')
      out[key] = (error as unknown as Record<string, unknown>)[key];
  }
  if (error.cause !== undefined && depth < 3) {
    out.cause = error.cause instanceof Error ? serializeError(error.cause, depth + 1) : error.cause;
  }
  return out;
}

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return serializeError(value);
  return value;
}

/**
 * JSON.stringify that never throws: errors become `{type, message, stack}`, bigints strings,
 * cycles `"[Circular]"` (counted as a repair), and anything deeper than 10 levels `"[Truncated]"`.
 */
export function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value, replacer) ?? 'null';
  } catch {
    countRepair(RepairReason.circular);
    try {
      return JSON.stringify(toJsonSafe(value, [], 0)) ?? 'null';
    } catch {
      return '"[Unserializable]"';
    }
  }
}

/** A copy with cycles cut and depth bounded; only called when plain stringify failed. */
export function toJsonSafe(value: unknown, ancestors: unknown[], depth: number): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'function' || typeof value === 'symbol') return undefined;
    return value;
  }
  if (ancestors.includes(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  const source = value instanceof Error ? serializeError(value) : value;
  const toJSON = (source as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function' && !(value instanceof Error)) {
    try {
      return toJsonSafe(toJSON.call(source), ancestors, depth);
    } catch {
      return '[Unserializable]';
    }
  }
  ancestors.push(value);
  let out: unknown;
  if (Array.isArray(source)) {
    out = source.map((item) => toJsonSafe(item, ancestors, depth + 1) ?? null);
  } else {
    const obj: Record<string, unknown> = {};
    for (const key of Object.keys(source)) {
      let child: unknown;
      try {
        child = (source as Record<string, unknown>)[key];
      } catch {
        child = '[Getter threw]';
      }
      const safe = toJsonSafe(child, ancestors, depth + 1);
      if (safe !== undefined) obj[key] = safe;
    }
    out = obj;
  }
  ancestors.pop();
  return out;
}
