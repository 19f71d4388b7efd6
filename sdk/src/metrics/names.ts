import { countDrop, countRepair, DropReason, RepairReason } from '../internal/diagnostics.js';

export type Tags = Readonly<Record<string, string>>;
/** Tag values as services pass them; numbers and booleans are stringified, others dropped. */
export type TagInput = Readonly<Record<string, string | number | boolean | null | undefined>>;

const METRIC_NAME = /^[a-zA-Z_][a-zA-Z0-9_.]*$/;
const TAG_KEY = /^[a-zA-Z_][a-zA-Z0-9_.]*$/;
const MAX_NAME = 200;
// Vigil's ingest limits (functions/core/telemetry/limits.ts).
const MAX_TAG_KEY = 64;
const MAX_TAG_VALUE = 128;
const MAX_TAGS = 20;

/**
 * A metric name as Vigil stores it (`[a-zA-Z_][a-zA-Z0-9_.]*`). Other characters become `_`,
 * a leading digit gets a `_` prefix (counted as repairs); non-strings and empty names give undefined.
 */
export function sanitizeMetricName(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.length === 0) {
    countDrop('metric', DropReason.invalidName);
    return undefined;
  }
  if (name.length <= MAX_NAME && METRIC_NAME.test(name)) return name;
  let fixed = name.slice(0, MAX_NAME).replace(/[^a-zA-Z0-9_.]/g, '_');
  if (!/^[a-zA-Z_]/.test(fixed)) fixed = `_${fixed}`;
  countRepair(RepairReason.metricName);
  return fixed;
}

/** A tag key (`[a-zA-Z_][a-zA-Z0-9_.]*`), repaired like metric names; undefined if empty. */
export function sanitizeTagKey(key: string): string | undefined {
  if (key.length === 0) return undefined;
  if (key.length <= MAX_TAG_KEY && TAG_KEY.test(key)) return key;
  let fixed = key.slice(0, MAX_TAG_KEY).replace(/[^a-zA-Z0-9_.]/g, '_');
  if (!/^[a-zA-Z_]/.test(fixed)) fixed = `_${fixed}`;
  countRepair(RepairReason.tagKey);
  return fixed;
}

/** Validated tags in key order, so equal tag sets share one series key. */
export function sanitizeTags(input: unknown): Record<string, string> {
  // No prototype: a tag named `__proto__` or `toString` is just a tag.
  const out: Record<string, string> = Object.create(null);
  if (input === null || input === undefined) return out;
  if (typeof input !== 'object' || Array.isArray(input)) {
    countDrop('metric', DropReason.invalidTag);
    return out;
  }
  let keys: string[];
  try {
    keys = Object.keys(input).sort();
  } catch {
    countDrop('metric', DropReason.invalidTag);
    return out;
  }
  let n = 0;
  for (const rawKey of keys) {
    const raw = (input as Record<string, unknown>)[rawKey];
    const key = sanitizeTagKey(rawKey);
    let value: string | undefined;
    if (typeof raw === 'string') value = raw;
    else if ((typeof raw === 'number' && Number.isFinite(raw)) || typeof raw === 'boolean') value = String(raw);
    if (key === undefined || value === undefined || n >= MAX_TAGS) {
      countDrop('metric', DropReason.invalidTag);
      continue;
    }
    if (value.length > MAX_TAG_VALUE) {
      value = value.slice(0, MAX_TAG_VALUE);
      countRepair(RepairReason.tagValue);
    }
    out[key] = value;
    n++;
  }
  return out;
}

/** Stable identity of a tag set (keys are already sorted by {@link sanitizeTags}). */
export function tagKey(tags: Tags): string {
  let key = '';
  for (const k in tags) key += `${k}\u0000${tags[k]}\u0001`;
  return key;
}
