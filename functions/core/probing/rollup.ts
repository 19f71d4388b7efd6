import { bucketOf } from './latency-buckets.js';
import type { HourRollup, ProbeResult } from './model.js';
import { HOUR_MS } from './uptime.js';

/**
 * Hourly rollups without a write per probe: the prober is the only writer of a target's state, so the
 * current hour's counts travel in the state item (written anyway) and are sealed into their own item
 * when a probe lands in a later hour. Every write of a run is then a batched put.
 */
export function addToHour(
  hour: HourRollup | undefined,
  result: Pick<ProbeResult, 'at' | 'status' | 'latencyMs'>,
): { hour: HourRollup; sealed?: HourRollup } {
  const hourStart = Math.floor(result.at / HOUR_MS) * HOUR_MS;
  const sealed = hour && hour.hourStart !== hourStart ? hour : undefined;
  const base: HourRollup = hour && !sealed ? hour : { hourStart, up: 0, degraded: 0, down: 0, buckets: {} };
  const bucket = bucketOf(result.latencyMs);
  const next: HourRollup = {
    ...base,
    ...(result.status === 'unknown' ? {} : { [result.status]: base[result.status] + 1 }),
    buckets: { ...base.buckets, [bucket]: (base.buckets[bucket] ?? 0) + 1 },
  };
  return sealed ? { hour: next, sealed } : { hour: next };
}

/** Sealed rollups plus the open hour, for reading uptime. */
export function withOpenHour(sealed: readonly HourRollup[], open: HourRollup | undefined): HourRollup[] {
  if (!open || sealed.some((r) => r.hourStart === open.hourStart)) return [...sealed];
  return [...sealed, open];
}
