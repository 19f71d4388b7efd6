/**
 * What the SDK dropped or repaired instead of throwing. Every bad input and every lost
 * export is counted here, reported with the next batch as `vigil.sdk.dropped`, and readable
 * through {@link getDiagnostics}.
 */

export const DropReason = {
  queueFull: 'queue_full',
  retriesExhausted: 'retries_exhausted',
  rejected: 'rejected',
  shutdown: 'shutdown',
  invalidName: 'invalid_name',
  invalidValue: 'invalid_value',
  invalidTag: 'invalid_tag',
  typeConflict: 'type_conflict',
  histogramCap: 'histogram_cap',
  tooManySeries: 'too_many_series',
  noEndpoint: 'no_endpoint',
  internalError: 'internal_error',
} as const;
export type DropReason = (typeof DropReason)[keyof typeof DropReason];

export const RepairReason = {
  metricName: 'metric_name',
  tagKey: 'tag_key',
  tagValue: 'tag_value',
  circular: 'circular',
  traceparent: 'traceparent',
  invalidTraceparent: 'invalid_traceparent',
  tracestate: 'tracestate',
} as const;
export type RepairReason = (typeof RepairReason)[keyof typeof RepairReason];

export type TelemetryKind = 'metric' | 'log' | 'span' | 'error' | 'batch' | 'sdk';

const dropped = new Map<string, number>();
const droppedUnreported = new Map<string, number>();
const repaired = new Map<string, number>();
let exportFailures = 0;
let lastExportError: string | undefined;

/** Counts `n` items of `kind` dropped for `reason`. */
export function countDrop(kind: TelemetryKind, reason: DropReason, n = 1): void {
  if (n <= 0) return;
  const key = `${kind}:${reason}`;
  dropped.set(key, (dropped.get(key) ?? 0) + n);
  droppedUnreported.set(key, (droppedUnreported.get(key) ?? 0) + n);
}

/** Counts an input that was accepted after being repaired (renamed, truncated, cut at a cycle…). */
export function countRepair(reason: RepairReason, n = 1): void {
  repaired.set(reason, (repaired.get(reason) ?? 0) + n);
}

/** Records a failed export attempt (network error, 4xx, 5xx) for diagnostics. */
export function recordExportFailure(message: string): void {
  exportFailures++;
  lastExportError = message;
}

/** Drop counts not yet reported to Vigil; the caller reports them and returns them on failure. */
export function takeUnreportedDrops(): Array<{ kind: string; reason: string; count: number }> {
  const out: Array<{ kind: string; reason: string; count: number }> = [];
  for (const [key, count] of droppedUnreported) {
    const [kind = 'sdk', reason = 'unknown'] = key.split(':');
    out.push({ kind, reason, count });
  }
  droppedUnreported.clear();
  return out;
}

/** Puts drop counts back after the batch that carried them could not be delivered. */
export function restoreUnreportedDrops(items: ReadonlyArray<{ kind: string; reason: string; count: number }>): void {
  for (const { kind, reason, count } of items) {
    const key = `${kind}:${reason}`;
    droppedUnreported.set(key, (droppedUnreported.get(key) ?? 0) + count);
  }
}

export interface Diagnostics {
  /** `kind:reason` → items dropped since start. */
  readonly dropped: Readonly<Record<string, number>>;
  /** reason → inputs repaired since start. */
  readonly repaired: Readonly<Record<string, number>>;
  readonly exportFailures: number;
  readonly lastExportError?: string;
}

/**
 * A snapshot of what the SDK dropped, repaired, or failed to export.
 * @example
 * const { dropped } = getDiagnostics();
 * console.log(dropped['log:queue_full'] ?? 0);
 */
export function getDiagnostics(): Diagnostics {
  return {
    dropped: Object.fromEntries(dropped),
    repaired: Object.fromEntries(repaired),
    exportFailures,
    ...(lastExportError === undefined ? {} : { lastExportError }),
  };
}

/** Clears every counter (tests). */
export function resetDiagnostics(): void {
  dropped.clear();
  droppedUnreported.clear();
  repaired.clear();
  exportFailures = 0;
  lastExportError = undefined;
}

const warned = new Set<string>();
/** Writes one line to stderr the first time `key` is seen; the SDK's only way to complain. */
export function warnOnce(key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  try {
    process.stderr.write(`[vigil] ${message}\n`);
  } catch {
    // stderr closed: nothing left to tell
  }
}
