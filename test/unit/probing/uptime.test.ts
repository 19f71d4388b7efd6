import { describe, expect, it } from 'vitest';
import {
  bucketOf,
  bucketPercentile,
  bucketValue,
  exactPercentile,
} from '../../../functions/core/probing/latency-buckets.js';
import type { HourRollup, Status } from '../../../functions/core/probing/model.js';
import { addToHour, withOpenHour } from '../../../functions/core/probing/rollup.js';
import { availabilityFromResults, HOUR_MS, uptimeWindows } from '../../../functions/core/probing/uptime.js';

const NOW = Date.UTC(2026, 0, 31, 12, 30);
const hour = (hoursAgo: number, up: number, down: number, degraded = 0): HourRollup => ({
  hourStart: Math.floor(NOW / HOUR_MS) * HOUR_MS - hoursAgo * HOUR_MS,
  up,
  degraded,
  down,
  buckets: { [bucketOf(100)]: up + down + degraded },
});

describe('uptime windows', () => {
  it('counts up and degraded as available, over hour-aligned windows', () => {
    const rollups = [
      hour(0, 50, 10),
      hour(23, 60, 0),
      hour(24, 0, 60),
      hour(100, 30, 30, 0),
      hour(700, 0, 60),
      hour(800, 0, 60),
    ];
    const w = uptimeWindows(rollups, NOW);
    // 24h spans the current hour and the 24 before it: 110 up of 180.
    expect(w['24h']).toMatchObject({ up: 110, down: 70, probes: 180, uptimePercent: 61.111 });
    expect(w['7d']).toMatchObject({ up: 140, down: 100, uptimePercent: 58.333 });
    // 800 hours ago is outside 30 days (720 h).
    expect(w['30d']).toMatchObject({ up: 140, down: 160, uptimePercent: 46.667 });
    expect(w['24h'].latencyMs.p50).toBeGreaterThanOrEqual(99);
    expect(w['24h'].latencyMs.p50).toBeLessThanOrEqual(101);
  });

  it('is null without probes', () => {
    expect(uptimeWindows([], NOW)['24h']).toMatchObject({ uptimePercent: null, probes: 0, latencyMs: { p50: null } });
  });

  it('exact figures over raw results', () => {
    const statuses: Status[] = ['up', 'up', 'degraded', 'down'];
    const results = statuses.map((status, i) => ({
      targetId: 'x',
      at: NOW,
      level: 'pass' as const,
      status,
      reason: undefined,
      latencyMs: (i + 1) * 10,
    }));
    expect(availabilityFromResults(results)).toEqual({
      uptimePercent: 75,
      probes: 4,
      up: 2,
      degraded: 1,
      down: 1,
      latencyMs: { p50: 20, p95: 40, p99: 40 },
    });
  });
});

describe('hourly rollup carried in the state', () => {
  it('accumulates within an hour and seals it when the next hour starts', () => {
    const h0 = Math.floor(NOW / HOUR_MS) * HOUR_MS;
    let open: HourRollup | undefined;
    const sealed: HourRollup[] = [];
    for (const [at, status] of [
      [h0 + 1, 'up'],
      [h0 + 2, 'down'],
      [h0 + 3, 'up'],
      [h0 + HOUR_MS + 5, 'degraded'],
    ] as const) {
      const r = addToHour(open, { at, status, latencyMs: 50 });
      open = r.hour;
      if (r.sealed) sealed.push(r.sealed);
    }
    expect(sealed).toEqual([{ hourStart: h0, up: 2, degraded: 0, down: 1, buckets: { [bucketOf(50)]: 3 } }]);
    expect(open).toEqual({ hourStart: h0 + HOUR_MS, up: 0, degraded: 1, down: 0, buckets: { [bucketOf(50)]: 1 } });
    expect(withOpenHour(sealed, open)).toHaveLength(2);
  });
});

describe('latency buckets', () => {
  it('percentiles from buckets are within 1% of exact', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 5 + ((i * 7919) % 2000));
    const buckets = new Map<number, number>();
    for (const x of values) buckets.set(bucketOf(x), (buckets.get(bucketOf(x)) ?? 0) + 1);
    for (const p of [50, 95, 99]) {
      const exact = exactPercentile(values, p)!;
      expect(Math.abs(bucketPercentile(buckets, p)! - exact) / exact).toBeLessThan(0.011);
    }
    expect(bucketValue(0)).toBe(1);
  });
});
