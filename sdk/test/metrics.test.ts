import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { getDiagnostics, resetDiagnostics } from '../src/internal/diagnostics.js';
import { collectPoints } from '../src/metrics/collect.js';
import { configureMetrics } from '../src/metrics/configure.js';
import { counter, gauge, histogram, timer } from '../src/metrics/create.js';
import { sanitizeMetricName, sanitizeTags } from '../src/metrics/names.js';

beforeEach(() => {
  configureMetrics({ backend: 'console', prefix: '', defaultTags: {}, enabled: true, flushIntervalMs: 3_600_000 }, {});
  collectPoints();
  resetDiagnostics();
});

describe('counters, gauges, histograms', () => {
  it('aggregates counter deltas between flushes, per tag set, and keeps totals', () => {
    const c = counter('orders.created');
    const web = c.labels({ channel: 'web' });
    web.inc();
    web.inc(2);
    c.inc(1, { channel: 'web' });
    c.inc(5, { channel: 'app' });
    c.inc();
    const points = collectPoints().filter((p) => p.name === 'orders.created');
    expect(points.map((p) => [p.tags, p.value])).toEqual([
      [{ channel: 'web' }, 4],
      [{ channel: 'app' }, 5],
      [{}, 1],
    ]);
    expect(collectPoints().filter((p) => p.name === 'orders.created')).toEqual([]);
    web.inc();
    expect(collectPoints().find((p) => p.name === 'orders.created')?.value).toBe(1);
    expect(web.total).toBe(5);
  });

  it('returns the same series object for equal tag sets in any key order', () => {
    const c = counter('same.series');
    expect(c.labels({ a: '1', b: '2' })).toBe(c.labels({ b: '2', a: '1' }));
    expect(counter('same.series')).toBe(c);
  });

  it('sends histogram raw values per flush, with count, sum, min and max', () => {
    const h = histogram('checkout.duration', { unit: 'ms' });
    const s = h.labels({ step: 'pay' });
    for (const v of [12.5, 40.1, 3]) s.observe(v);
    const [p] = collectPoints().filter((x) => x.name === 'checkout.duration');
    expect(p).toMatchObject({
      type: 'histogram',
      unit: 'ms',
      values: [12.5, 40.1, 3],
      count: 3,
      sum: 55.6,
      min: 3,
      max: 40.1,
    });
    expect(collectPoints().filter((x) => x.name === 'checkout.duration')).toEqual([]);
    expect(s.bucketCounts.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('caps raw values per series per flush and counts the excess', () => {
    configureMetrics({ backend: 'console', maxValuesPerFlush: 10 }, {});
    const h = histogram('capped');
    for (let i = 0; i < 25; i++) h.observe(i);
    const [p] = collectPoints().filter((x) => x.name === 'capped');
    expect(p?.values).toHaveLength(10);
    expect(p?.count).toBe(25);
    expect(getDiagnostics().dropped['metric:histogram_cap']).toBe(15);
  });

  it('times sync and async work in milliseconds', async () => {
    // The clock is pinned: the elapsed times are exact, and nothing waits for real time to pass.
    let now = 1_000;
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => now);
    try {
      const t = timer('work.duration');
      const stop = t.startTimer({ op: 'a' });
      now += 30;
      expect(stop()).toBe(30);
      const value = await t.labels({ op: 'b' }).time(async () => {
        await Promise.resolve();
        now += 10;
        return 42;
      });
      expect(value).toBe(42);
      const points = collectPoints().filter((x) => x.name === 'work.duration');
      expect(points.map((x) => x.tags.op)).toEqual(['a', 'b']);
      expect(points[0]!.values).toEqual([30]);
      expect(points[1]!.values).toEqual([10]);
      expect(points[0]!.unit).toBe('ms');
    } finally {
      clock.mockRestore();
    }
  });

  it('gauges report the last value, and callbacks are read at collection', () => {
    const g = gauge('queue.depth');
    g.set(3);
    g.inc();
    g.dec(2);
    let n = 17;
    gauge('pool.size', { collect: () => n });
    expect(
      collectPoints()
        .filter((p) => p.type === 'gauge')
        .map((p) => [p.name, p.value]),
    ).toEqual([
      ['queue.depth', 2],
      ['pool.size', 17],
    ]);
    n = 4;
    expect(collectPoints().find((p) => p.name === 'pool.size')?.value).toBe(4);
  });

  it('applies the prefix and default tags, except to standard metrics', () => {
    configureMetrics({ backend: 'console', prefix: 'shop', defaultTags: { environment: 'production' } }, {});
    counter('orders').inc();
    counter('http.server.requests', { noPrefix: true }).inc(1, { environment: 'own' });
    const points = collectPoints();
    expect(points.find((p) => p.name === 'shop.orders')?.tags).toEqual({ environment: 'production' });
    expect(points.find((p) => p.name === 'http.server.requests')?.tags).toEqual({ environment: 'own' });
  });

  it('enabled: false makes every call a no-op', () => {
    configureMetrics({ backend: 'console', enabled: false }, {});
    const c = counter('disabled.c');
    c.inc();
    c.labels({ a: 'b' }).inc(5);
    histogram('disabled.h').observe(3);
    gauge('disabled.g').set(1);
    expect(collectPoints()).toEqual([]);
    expect(c.labels({ a: 'b' }).total).toBe(0);
  });

  it('drops NaN, infinite, negative and non-number values, and counts them', () => {
    const c = counter('bad.values');
    c.inc(Number.NaN);
    c.inc(-1);
    c.inc(Number.POSITIVE_INFINITY);
    c.inc('5' as unknown as number);
    histogram('bad.h').observe(Number.NaN);
    gauge('bad.g').set(Number.NEGATIVE_INFINITY);
    expect(collectPoints().filter((p) => p.name.startsWith('bad.'))).toEqual([]);
    expect(getDiagnostics().dropped['metric:invalid_value']).toBe(6);
  });

  it('a name registered with another type is not exported and counted', () => {
    counter('typed.once').inc();
    const g = gauge('typed.once');
    g.set(5);
    expect(
      collectPoints()
        .filter((p) => p.name === 'typed.once')
        .map((p) => p.type),
    ).toEqual(['counter']);
    expect(getDiagnostics().dropped['metric:type_conflict']).toBe(1);
  });

  it('bounds series per metric', () => {
    configureMetrics({ backend: 'console', maxSeriesPerMetric: 3 }, {});
    const c = counter('many.series');
    for (let i = 0; i < 10; i++) c.inc(1, { user: String(i) });
    expect(collectPoints().filter((p) => p.name === 'many.series')).toHaveLength(3);
    expect(getDiagnostics().dropped['metric:too_many_series']).toBe(7);
  });
});

describe('bad names and tags (property tests)', () => {
  const VALID_NAME = /^[a-zA-Z_][a-zA-Z0-9_.]*$/;
  const VALID_KEY = /^[a-zA-Z_][a-zA-Z0-9_.]*$/;

  it('any name is repaired into a valid one or refused, never thrown', () => {
    fc.assert(
      fc.property(fc.anything(), (name) => {
        const out = sanitizeMetricName(name);
        if (typeof name === 'string' && name.length > 0) {
          expect(out).toMatch(VALID_NAME);
          expect(out!.length).toBeLessThanOrEqual(201);
        } else expect(out).toBeUndefined();
      }),
    );
  });

  it('any tag object becomes ≤20 valid string tags', () => {
    fc.assert(
      fc.property(fc.oneof(fc.dictionary(fc.string(), fc.anything()), fc.anything()), (tags) => {
        const out = sanitizeTags(tags);
        const entries = Object.entries(out);
        expect(entries.length).toBeLessThanOrEqual(20);
        for (const [k, v] of entries) {
          expect(k).toMatch(VALID_KEY);
          expect(k.length).toBeLessThanOrEqual(65);
          expect(typeof v).toBe('string');
          expect(v.length).toBeLessThanOrEqual(128);
        }
      }),
    );
  });

  it('metric calls with arbitrary input never throw', () => {
    fc.assert(
      fc.property(fc.string(), fc.anything(), fc.anything(), (name, tags, value) => {
        counter(name).inc(value as number, tags as never);
        histogram(`h_${name}`).observe(value as number, tags as never);
        gauge(`g_${name}`).set(value as number, tags as never);
      }),
      { numRuns: 300 },
    );
    expect(() => collectPoints()).not.toThrow();
  });

  it('keeps a valid tag set as is and counts dropped tag values', () => {
    resetDiagnostics();
    expect(sanitizeTags({ route: '/cart', status: 200, ok: true, bad: { x: 1 }, nil: null, 'sp ace': 'v' })).toEqual({
      ok: 'true',
      route: '/cart',
      sp_ace: 'v',
      status: '200',
    });
    expect(getDiagnostics().dropped['metric:invalid_tag']).toBe(2);
    expect(getDiagnostics().repaired.tag_key).toBe(1);
  });
});
