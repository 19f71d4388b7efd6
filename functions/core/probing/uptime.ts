import { bucketPercentile, exactPercentile } from './latency-buckets.js';
import type { HourRollup, ProbeResult, Status } from './model.js';

/**
 * Uptime is the share of probes whose status (after thresholds) was up or degraded: a degraded target is
 * still answering. Probes while `unknown` are not counted. Latency percentiles cover every probe.
 */
export interface Availability {
  /** Percent, 3 decimals; null without any probe in the window. */
  readonly uptimePercent: number | null;
  readonly probes: number;
  readonly up: number;
  readonly degraded: number;
  readonly down: number;
  readonly latencyMs: { readonly p50: number | null; readonly p95: number | null; readonly p99: number | null };
}

export const UPTIME_WINDOWS = { '24h': 24, '7d': 24 * 7, '30d': 24 * 30 } as const;
export type UptimeWindow = keyof typeof UPTIME_WINDOWS;
export const HOUR_MS = 3_600_000;

const percent = (good: number, total: number): number | null =>
  total === 0 ? null : Math.round((good / total) * 100_000) / 1_000;

export function availabilityFromRollups(rollups: readonly HourRollup[]): Availability {
  let up = 0;
  let degraded = 0;
  let down = 0;
  const buckets = new Map<number, number>();
  for (const r of rollups) {
    up += r.up;
    degraded += r.degraded;
    down += r.down;
    for (const [k, n] of Object.entries(r.buckets)) buckets.set(Number(k), (buckets.get(Number(k)) ?? 0) + n);
  }
  const p = (q: number) => bucketPercentile(buckets, q) ?? null;
  return {
    uptimePercent: percent(up + degraded, up + degraded + down),
    probes: [...buckets.values()].reduce((a, b) => a + b, 0),
    up,
    degraded,
    down,
    latencyMs: { p50: p(50), p95: p(95), p99: p(99) },
  };
}

/** The hours that overlap a window ending now: windows are hour-aligned, so "24h" spans up to 25 hours. */
export function windowHours(window: UptimeWindow, now: number): { from: number; to: number } {
  const currentHour = Math.floor(now / HOUR_MS) * HOUR_MS;
  return { from: currentHour - UPTIME_WINDOWS[window] * HOUR_MS, to: now };
}

export function uptimeWindows(rollups: readonly HourRollup[], now: number): Record<UptimeWindow, Availability> {
  const out = {} as Record<UptimeWindow, Availability>;
  for (const w of Object.keys(UPTIME_WINDOWS) as UptimeWindow[]) {
    const { from } = windowHours(w, now);
    out[w] = availabilityFromRollups(rollups.filter((r) => r.hourStart >= from && r.hourStart <= now));
  }
  return out;
}

export function countsByStatus(results: readonly ProbeResult[]): Record<Exclude<Status, 'unknown'>, number> {
  const counts = { up: 0, degraded: 0, down: 0 };
  for (const r of results) if (r.status !== 'unknown') counts[r.status]++;
  return counts;
}

/** Exact figures over raw results (the history endpoint's page). */
export function availabilityFromResults(results: readonly ProbeResult[]): Availability {
  const { up, degraded, down } = countsByStatus(results);
  const latencies = results.map((r) => r.latencyMs);
  const p = (q: number) => exactPercentile(latencies, q) ?? null;
  return {
    uptimePercent: percent(up + degraded, up + degraded + down),
    probes: results.length,
    up,
    degraded,
    down,
    latencyMs: { p50: p(50), p95: p(95), p99: p(99) },
  };
}
