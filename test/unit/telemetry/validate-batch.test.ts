import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../functions/core/errors.js';
import { DEFAULT_LIMITS } from '../../../functions/core/telemetry/limits.js';
import { validateBatch } from '../../../functions/core/telemetry/validate-batch.js';

const NOW = Date.UTC(2025, 10, 26, 15, 0, 0);
const validate = (body: unknown) => validateBatch(body, { now: NOW, limits: DEFAULT_LIMITS });

describe('validateBatch', () => {
  it('normalises a good batch: defaults, reserved tags, ISO timestamps', () => {
    const { batch, rejected } = validate({
      service: 'checkout',
      version: '1.4.2',
      metrics: [
        {
          name: 'http.server.requests',
          type: 'counter',
          value: 3,
          tags: { route: '/cart', status: 200, environment: 'spoof' },
        },
        { name: 'http.server.duration', type: 'histogram', values: [12.5, 40.1], timestamp: '2025-11-26T14:59:00Z' },
      ],
      logs: [{ message: 'hi', level: 'WARN', extra: 'ignored' }],
      spans: [{ traceId: 'A'.repeat(32), spanId: 'b'.repeat(16), name: 'GET /', startTime: NOW - 50, endTime: NOW }],
      errors: [{ type: 'TypeError', message: 'x is undefined' }],
    });
    expect(rejected).toEqual([]);
    expect(batch.environment).toBe('default');
    expect(batch.metrics[0]!.tags).toEqual({ route: '/cart', status: '200', environment: 'default', version: '1.4.2' });
    expect(batch.metrics[0]!.timestamp).toBe(NOW);
    expect(batch.metrics[1]!.timestamp).toBe(NOW - 60_000);
    expect(batch.metrics[1]!.contribution).toMatchObject({ count: 2, sum: 52.6, min: 12.5, max: 40.1 });
    expect(batch.logs[0]).not.toHaveProperty('extra');
    expect(batch.logs[0]!.level).toBe('warn');
    expect(batch.spans[0]!.traceId).toBe('a'.repeat(32));
  });

  it.each([
    [{ name: 'm', type: 'gauge', value: Number.NaN }, 'metrics[0].value'],
    [{ name: 'm', type: 'gauge', value: Number.POSITIVE_INFINITY }, 'metrics[0].value'],
    [{ name: 'm', type: 'gauge', value: 1, timestamp: 1_700_000_000 }, 'metrics[0].timestamp'],
    [{ name: 'm', type: 'gauge', value: 1, timestamp: NOW - 25 * 3_600_000 }, 'metrics[0].timestamp'],
    [{ name: 'm', type: 'gauge', value: 1, timestamp: NOW + 3_600_000 }, 'metrics[0].timestamp'],
    [{ name: 'm', type: 'histogram', values: [] }, 'metrics[0].values'],
    [{ name: '9lives', type: 'gauge', value: 1 }, 'metrics[0].name'],
    [{ name: 'm', type: 'gauge', value: 1, tags: { 'bad key': 'x' } }, 'metrics[0].tags'],
    [
      {
        name: 'm',
        type: 'gauge',
        value: 1,
        tags: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])),
      },
      'metrics[0].tags',
    ],
    [{ name: 'm', type: 'summary', value: 1 }, 'metrics[0].type'],
  ])('rejects %j at %s', (metric, path) => {
    const { batch, rejected, rejectedCounts } = validate({
      service: 's',
      metrics: [metric, { name: 'ok', type: 'gauge', value: 1 }],
    });
    expect(batch.metrics).toHaveLength(1);
    expect(rejectedCounts.metrics).toBe(1);
    expect(rejected[0]!.path.startsWith(path)).toBe(true);
  });

  it('rejects spans that end before they start, and bad ids', () => {
    const span = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), name: 'x', startTime: NOW, endTime: NOW - 1 };
    const { rejected } = validate({ service: 's', spans: [span, { ...span, endTime: NOW, spanId: 'xyz' }] });
    expect(rejected.map((r) => r.path)).toEqual(['spans[0].endTime', 'spans[1].spanId']);
  });

  it('refuses the whole batch when the envelope is bad', () => {
    expect(() => validate({ metrics: [] })).toThrow(ValidationError);
    expect(() => validate({ service: 'a#b' })).toThrow(ValidationError);
    expect(() => validate([1, 2])).toThrow(ValidationError);
  });

  it('never throws anything but a ValidationError, whatever the input (property)', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (metrics, logs) => {
        try {
          const { batch, rejectedCounts } = validate({ service: 'svc', metrics, logs, spans: metrics, errors: logs });
          for (const m of batch.metrics) {
            expect(Number.isFinite(m.contribution.sum)).toBe(true);
            expect(m.contribution.count).toBeGreaterThan(0);
          }
          const sent = (x: unknown) => (Array.isArray(x) ? x.length : x === undefined || x === null ? 0 : 1);
          expect(batch.metrics.length + rejectedCounts.metrics).toBe(sent(metrics));
          expect(batch.logs.length + rejectedCounts.logs).toBe(sent(logs));
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('accounts for every item of arbitrary metric-shaped input (property)', () => {
    const metric = fc.record(
      {
        name: fc.oneof(fc.constantFrom('a', 'http.x', 'b-c/d'), fc.string()),
        type: fc.constantFrom('counter', 'gauge', 'histogram', 'other'),
        value: fc.oneof(fc.double(), fc.integer(), fc.string()),
        values: fc.array(fc.double(), { maxLength: 5 }),
        tags: fc.dictionary(
          fc.string({ maxLength: 70 }),
          fc.oneof(fc.string({ maxLength: 140 }), fc.integer(), fc.object()),
        ),
        timestamp: fc.oneof(fc.integer({ min: NOW - 1e8, max: NOW + 1e8 }), fc.string(), fc.double()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(metric, { maxLength: 20 }), (metrics) => {
        const { batch, rejected, rejectedCounts } = validate({ service: 'svc', metrics });
        expect(batch.metrics.length + rejectedCounts.metrics).toBe(metrics.length);
        for (const r of rejected) expect(r.path).toMatch(/^metrics\[\d+\]/);
        for (const m of batch.metrics) {
          expect(Math.abs(m.timestamp - NOW)).toBeLessThanOrEqual(DEFAULT_LIMITS.maxAgeMs);
          expect(Object.keys(m.tags).length).toBeLessThanOrEqual(22);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses batches over the item limit as too large', () => {
    const metrics = [{ name: 'h', type: 'histogram', values: Array.from({ length: 11 }, () => 1) }];
    expect(() =>
      validateBatch({ service: 's', metrics }, { now: NOW, limits: { ...DEFAULT_LIMITS, maxBatchItems: 10 } }),
    ).toThrow(/limit is 10/);
  });
});
