import { describe, expect, it } from 'vitest';
import { LruCache } from '../../../functions/adapters/lru-cache.js';
import type { MetricPoint } from '../../../functions/core/telemetry/model.js';
import {
  addSummary,
  emptySummary,
  planSummary,
  summariseService,
} from '../../../functions/core/telemetry/service-summary.js';
import { contributionOf } from '../../../functions/core/telemetry/validate-batch.js';

const T = Date.UTC(2026, 11, 2, 15, 0, 0);
const counter = (status: string, value: number, timestamp = T): MetricPoint => ({
  name: 'http.server.requests',
  type: 'counter',
  tags: { status_class: status },
  timestamp,
  contribution: { count: 1, sum: value, min: value, max: value },
});
const durations = (values: number[]): MetricPoint => ({
  name: 'http.server.duration',
  type: 'histogram',
  tags: {},
  timestamp: T,
  contribution: contributionOf(values, true),
});
const span = (ms: number, error: boolean): MetricPoint => ({
  name: 'vigil.spans.server.duration',
  type: 'histogram',
  tags: { error: String(error) },
  timestamp: T + 61_000,
  contribution: contributionOf([ms], true),
});
const seen = { service: 'checkout', lastSeen: T, environments: ['prod'] };

describe('service summaries kept as data is written', () => {
  it('folds a batch into one delta per step: requests, 5xx, latency buckets, entry spans', () => {
    const deltas = planSummary(
      [counter('2xx', 90), counter('5xx', 10), durations([10, 20, 30]), span(5, false), span(7, true)],
      60,
    );
    expect(
      deltas.map((d) => [d.stepStart, d.requestPoints, d.requests, d.serverErrors, d.spans, d.spanErrors]),
    ).toEqual([
      [T, 2, 100, 10, 0, 0],
      [T + 60_000, 0, 0, 0, 2, 1],
    ]);
    expect([...deltas[0]!.durations.values()].reduce((a, b) => a + b, 0)).toBe(3);
  });

  it.each([
    [
      'metrics win when the service sends them',
      [counter('2xx', 270), counter('5xx', 30), span(5, true)],
      {
        requestRate: 0.3333,
        errorRate: 0.1,
        source: 'metrics',
      },
    ],
    [
      'span-derived otherwise',
      [span(5, false), span(9, true), span(7, false), span(8, false)],
      {
        requestRate: 0.0044,
        errorRate: 0.25,
        source: 'spans',
      },
    ],
    ['none without either', [], { requestRate: null, errorRate: null, p95LatencyMs: null, source: 'none' }],
  ] as const)('summarises: %s', (_label, points, expected) => {
    const deltas = planSummary(points as readonly MetricPoint[], 60);
    const totals = emptySummary();
    for (const d of deltas) addSummary(totals, d);
    expect(summariseService(seen, totals, 900)).toMatchObject({ service: 'checkout', ...expected });
  });

  it('gives the p95 of the latency buckets within 1%', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    const [delta] = planSummary([counter('2xx', 100), durations(values)], 60);
    const p95 = summariseService(seen, delta, 900).p95LatencyMs!;
    expect(Math.abs(p95 - 95) / 95).toBeLessThan(0.01);
  });
});

describe("LruCache (the writer's memory of services it touched)", () => {
  it('keeps at most its capacity, evicting the least recently used', () => {
    const cache = new LruCache<string, number>(3);
    for (const k of ['a', 'b', 'c']) cache.set(k, 1);
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('d', 1);
    expect(cache.size).toBe(3);
    expect(cache.get('b')).toBeUndefined();
    expect(['a', 'c', 'd'].map((k) => cache.get(k))).toEqual([1, 1, 1]);
    for (let i = 0; i < 1_000; i++) cache.set(`k${i}`, i);
    expect(cache.size).toBe(3);
  });
});
