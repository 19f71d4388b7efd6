import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Contribution } from '../../../functions/core/telemetry/model.js';
import {
  explicitHistogram,
  exponentialHistogram,
  isRefusal,
  spreadLinear,
} from '../../../functions/core/telemetry/otlp-histograms.js';
import { mapOtlpMetrics } from '../../../functions/core/telemetry/otlp-metrics.js';
import { canonicalTags, planRollups, seriesId } from '../../../functions/core/telemetry/rollup-plan.js';
import { quantile } from '../../../functions/core/telemetry/sketch.js';
import { contributionOf } from '../../../functions/core/telemetry/validate-batch.js';

/** OpenTelemetry's default explicit bucket bounds. */
const OTEL_DEFAULT_BOUNDS = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

/**
 * Prometheus' `histogram_quantile` (promql/quantile.go, bucketQuantile), written from its definition:
 * cumulative buckets with upper bounds, the last +Inf; rank = q·count; linear interpolation inside the
 * bucket holding the rank; the first bucket starts at 0 if its bound is positive; +Inf answers the last bound.
 */
function histogramQuantile(q: number, bounds: number[], counts: number[]): number {
  const upper = [...bounds, Number.POSITIVE_INFINITY];
  const cumulative: number[] = [];
  counts.reduce((acc, k, i) => {
    cumulative[i] = acc + k;
    return cumulative[i]!;
  }, 0);
  const total = cumulative[cumulative.length - 1]!;
  const rank = q * total;
  const b = cumulative.findIndex((c) => c >= rank);
  if (b === upper.length - 1) return upper[upper.length - 2]!;
  if (b === 0 && upper[0]! <= 0) return upper[0]!;
  const start = b === 0 ? 0 : upper[b - 1]!;
  const end = upper[b]!;
  const before = b === 0 ? 0 : cumulative[b - 1]!;
  const inBucket = cumulative[b]! - before;
  return start + (end - start) * ((rank - before) / inBucket);
}

function bucketize(values: number[], bounds: number[]): number[] {
  const counts = new Array<number>(bounds.length + 1).fill(0);
  for (const v of values) {
    const i = bounds.findIndex((b) => v <= b);
    counts[i === -1 ? bounds.length : i]!++;
  }
  return counts;
}

function explicitPoint(values: number[], bounds: number[]) {
  return {
    count: String(values.length),
    sum: values.reduce((a, b) => a + b, 0),
    min: Math.min(...values),
    max: Math.max(...values),
    explicitBounds: bounds,
    bucketCounts: bucketize(values, bounds).map(String),
  };
}

const contribution = (r: ReturnType<typeof explicitHistogram>): Contribution => {
  if (r === undefined || isRefusal(r)) throw new Error(`expected a contribution, got ${JSON.stringify(r)}`);
  return r;
};
const p = (c: Contribution, q: number) => quantile(c.buckets!, q, { min: c.min, max: c.max })!;

/** A seeded generator, so the "generated data" is the same on every run. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('explicit-bucket percentiles interpolate like histogram_quantile', () => {
  it('values 1..100 in the default OTel buckets: p50 50, p90 90, p95 95, p99 99 (within the sketch’s 1%)', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    const c = contribution(explicitHistogram(explicitPoint(values, OTEL_DEFAULT_BOUNDS), 'p'));
    const counts = bucketize(values, OTEL_DEFAULT_BOUNDS);
    for (const [q, expected] of [
      [0.5, 50],
      [0.9, 90],
      [0.95, 95],
      [0.99, 99],
    ] as const) {
      expect(histogramQuantile(q, OTEL_DEFAULT_BOUNDS, counts)).toBeCloseTo(expected, 9);
      expect(Math.abs(p(c, q) - expected) / expected, `p${q * 100}`).toBeLessThan(0.01);
    }
    expect([c.count, c.sum, c.min, c.max]).toEqual([100, 5050, 1, 100]);
  });

  it.each([
    ['log-normal latencies, default buckets', 1, OTEL_DEFAULT_BOUNDS, (u: number) => Math.exp(3 + 1.2 * u)],
    ['sizes over coarse buckets', 2, [0, 100, 200, 400, 800, 1600], (u: number) => 1 + 1599 * ((u + 1.5) / 3)],
  ])('%s: p50/p90/p95/p99 match the reference within 2%%', (_name, seed, bounds, shape) => {
    const rand = lcg(seed);
    // Sum of three uniforms ≈ normal on (-3, 3) after centring.
    const values = Array.from({ length: 5_000 }, () => shape(rand() + rand() + rand() - 1.5));
    const c = contribution(explicitHistogram(explicitPoint(values, bounds), 'p'));
    const counts = bucketize(values, bounds);
    for (const q of [0.5, 0.9, 0.95, 0.99]) {
      const reference = histogramQuantile(q, bounds, counts);
      expect(Math.abs(p(c, q) - reference) / reference, `p${q * 100}: ${p(c, q)} vs ${reference}`).toBeLessThan(0.02);
    }
  });

  it('spreads a huge count over a wide bucket into at most 64 sketch buckets, keeping the count exact', () => {
    const spread = { buckets: new Map<string, number>(), min: Infinity, max: -Infinity, sum: 0 };
    spreadLinear(spread, 0, 5, 1e12);
    const total = [...spread.buckets.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(1e12);
    expect(spread.buckets.size).toBeLessThanOrEqual(64);
    expect(spread.max).toBe(5);
  });
});

describe('exponential histograms', () => {
  it('are merged into the sketch within their own bucket width', () => {
    const scale = 3;
    const base = 2 ** (2 ** -scale);
    const values = Array.from({ length: 1_000 }, (_, i) => 1 + i * 0.37);
    const index = (v: number) => Math.ceil(Math.log(v) / Math.log(base)) - 1;
    const offset = index(Math.min(...values));
    const counts: number[] = [];
    for (const v of values) counts[index(v) - offset] = (counts[index(v) - offset] ?? 0) + 1;
    const point = {
      count: '1000',
      sum: values.reduce((a, b) => a + b, 0),
      scale,
      zeroCount: '0',
      positive: { offset, bucketCounts: Array.from(counts, (k) => String(k ?? 0)) },
    };
    const c = contribution(exponentialHistogram(point, 'p'));
    expect(c.count).toBe(1_000);
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.99]) {
      const exact = sorted[Math.ceil(q * values.length) - 1]!;
      expect(Math.abs(p(c, q) - exact) / exact).toBeLessThan(base - 1);
    }
  });

  it('counts zeros and negative buckets', () => {
    const c = contribution(
      exponentialHistogram(
        {
          count: 6,
          scale: 0,
          zeroCount: 1,
          positive: { offset: 0, bucketCounts: [2] },
          negative: { bucketCounts: [3] },
        },
        'p',
      ),
    );
    expect([...c.buckets!.values()].reduce((a, b) => a + b, 0)).toBe(6);
    expect(p(c, 0.1)).toBeLessThan(0);
    expect(p(c, 0.99)).toBeGreaterThan(1);
  });
});

describe('bad OTLP histogram points are refused with the field named (issue #9 items 13, 16)', () => {
  const base = { count: '3', sum: 6, explicitBounds: [1, 2], bucketCounts: ['1', '1', '1'] };
  it.each([
    ['count "1e20"', { ...base, count: '1e20' }, 'p.count', /whole number from 0 to 1000000000000000/],
    ['count 1e20', { ...base, count: 1e20 }, 'p.count', /whole number/],
    ['a negative bucket count', { ...base, bucketCounts: ['2', '-1', '2'] }, 'p.bucketCounts[1]', /whole number/],
    ['a fractional bucket count', { ...base, bucketCounts: [1, 1.5, 0.5] }, 'p.bucketCounts[1]', /whole number/],
    [
      'counts that do not add up',
      { ...base, bucketCounts: ['1', '1', '2'] },
      'p.bucketCounts',
      /add up to 4, but count is 3/,
    ],
    ['too few counts', { ...base, bucketCounts: ['3'] }, 'p.bucketCounts', /one more count than bounds/],
    ['bounds that go down', { ...base, explicitBounds: [2, 1] }, 'p.explicitBounds[1]', /increase strictly/],
    ['a sum of 1e300', { ...base, sum: 1e300 }, 'p.sum', /within ±1000000000000000/],
  ])('%s', (_name, point, path, message) => {
    const r = explicitHistogram(point, 'p');
    expect(isRefusal(r) && r.path).toBe(path);
    expect(isRefusal(r) && r.message).toMatch(message);
  });

  it.each([
    ['a negative bucket count', { count: 1, positive: { bucketCounts: [-1, 2] } }, 'p.positive.bucketCounts[0]'],
    ['counts that do not add up', { count: 5, zeroCount: 1, positive: { bucketCounts: [2] } }, 'p.count'],
    ['a scale of 99', { count: 1, scale: 99, zeroCount: 1 }, 'p.scale'],
    [
      'an offset past every number',
      { count: 1, scale: 20, positive: { offset: 2 ** 30, bucketCounts: [1] } },
      'p.positive.bucketCounts[0]',
    ],
  ])('exponential: %s', (_name, point, path) => {
    const r = exponentialHistogram(point, 'p');
    expect(isRefusal(r) && r.path).toBe(path);
  });

  it('refuses only the bad point of a request, naming its OTLP path, and keeps the rest', () => {
    const { batches, refused } = mapOtlpMetrics({
      resourceMetrics: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'lat',
                  histogram: {
                    aggregationTemporality: 1,
                    dataPoints: [{ ...base, count: '1e20' }, base],
                  },
                },
              ],
            },
          ],
        },
      ],
    });
    expect(refused).toEqual([
      {
        service: 'svc',
        path: 'resourceMetrics[0].scopeMetrics[0].metrics[0].histogram.dataPoints[0].count',
        code: 'invalid-point',
        message: expect.stringMatching(/^lat: must be a whole number/),
      },
    ]);
    expect(batches[0]!.batch.metrics).toHaveLength(1);
    expect(batches[0]!.paths).toEqual(['resourceMetrics[0].scopeMetrics[0].metrics[0].histogram.dataPoints[1]']);
  });
});

describe('rollup planning bounds and tag encoding', () => {
  const NOW = Date.UTC(2025, 10, 26, 15, 0, 0);
  const counter = (value: number, tags: Record<string, string> = {}) => ({
    name: 'm',
    type: 'counter' as const,
    tags,
    timestamp: NOW,
    contribution: contributionOf([value], false),
  });

  it('ten counters of 1e15 in one series-step: nine kept, the tenth refused with a reason (no failing write)', () => {
    const points = Array.from({ length: 10 }, () => counter(1e15));
    const plan = planRollups(points, 60);
    expect(plan.updates).toHaveLength(1);
    expect(plan.updates[0]!.contribution.sum).toBe(9e15);
    expect(plan.refused.map((r) => r.point)).toEqual([points[9]]);
    expect(plan.refused[0]!.reason).toMatch(/past a total of 9007199254740991/);
  });

  it('tag sets that used to merge are different series; plain tag sets keep their stored ids', () => {
    expect(seriesId('m', 'counter', { a: 'x\u0001b=y' })).not.toBe(seriesId('m', 'counter', { a: 'x', b: 'y' }));
    expect(canonicalTags({ a: 'x\u0001b=y' })).toBe('[["a","x\\u0001b=y"]]');
    // The id stored so far for {b: "2", a: "1=1"}: sha256 of "m\0counter\0a=1=1\u0001b=2", base64url, 16 chars.
    const stored = createHash('sha256').update('m\u0000counter\u0000a=1=1\u0001b=2').digest('base64url').slice(0, 16);
    expect(seriesId('m', 'counter', { b: '2', a: '1=1' })).toBe(stored);
    expect(canonicalTags({})).toBe('');
  });
});
