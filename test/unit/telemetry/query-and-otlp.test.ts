import { describe, expect, it } from 'vitest';
import { aggregate, parseStat, parseTagFilter } from '../../../functions/core/telemetry/metric-query.js';
import { nanosToMs, otlpId, resourceStamp } from '../../../functions/core/telemetry/otlp-common.js';
import { levelOf, mapOtlpLogs } from '../../../functions/core/telemetry/otlp-logs.js';
import { mapOtlpMetrics } from '../../../functions/core/telemetry/otlp-metrics.js';
import { planRollups } from '../../../functions/core/telemetry/rollup-plan.js';
import { parseDurationMs, parseQueryTime } from '../../../functions/core/telemetry/time.js';
import { contributionOf } from '../../../functions/core/telemetry/validate-batch.js';

const NOW = Date.UTC(2025, 10, 26, 15, 0, 0);

describe('query parameters', () => {
  it.each([
    ['-1h', NOW - 3_600_000],
    ['now-15m', NOW - 900_000],
    ['now', NOW],
    ['2025-11-26T14:00:00Z', NOW - 3_600_000],
    [String(NOW - 5), NOW - 5],
    ['1700000000', undefined],
    ['yesterday', undefined],
  ])('reads time %s', (text, expected) => {
    expect(parseQueryTime(text, NOW)).toBe(expected);
  });

  it.each([
    ['p95', { kind: 'quantile', q: 0.95 }],
    ['p99.9', { kind: 'quantile', q: 0.999 }],
    ['rate', { kind: 'rate' }],
    ['p101', undefined],
    ['median', undefined],
  ])('reads stat %s', (text, expected) => {
    expect(parseStat(text)).toEqual(expected);
  });

  it('reads durations and tag filters', () => {
    expect(parseDurationMs('5m')).toBe(300_000);
    expect(parseDurationMs('30')).toBe(30_000);
    expect(parseTagFilter('route:/cart,status:2xx')).toEqual({ route: '/cart', status: '2xx' });
    expect(parseTagFilter('nocolon')).toBeUndefined();
  });
});

describe('rollup planning and aggregation', () => {
  const point = (value: number, ts: number, tags: Record<string, string>) => ({
    name: 'm',
    type: 'counter' as const,
    tags,
    timestamp: ts,
    contribution: contributionOf([value], false),
  });

  it('folds a batch into one update per series-step', () => {
    const plan = planRollups(
      [
        point(1, NOW, { a: '1' }),
        point(2, NOW + 5_000, { a: '1' }),
        point(4, NOW + 60_000, { a: '1' }),
        point(8, NOW, { a: '2' }),
      ],
      60,
    );
    expect(plan.series.size).toBe(2);
    expect(
      plan.updates.map((u) => [u.series.tags.a, u.stepStart - NOW, u.contribution.count, u.contribution.sum]),
    ).toEqual([
      ['1', 0, 2, 3],
      ['1', 60_000, 1, 4],
      ['2', 0, 1, 8],
    ]);
  });

  it('groups series by tag and reads count, sum, rate', () => {
    const plan = planRollups(
      [point(3, NOW, { r: 'eu' }), point(5, NOW, { r: 'us' }), point(7, NOW + 60_000, { r: 'us' })],
      60,
    );
    const rows = [...plan.series.values()].map((series) => ({
      series,
      rows: plan.updates
        .filter((u) => u.series.id === series.id)
        .map((u) => ({ stepStart: u.stepStart, ...u.contribution, buckets: new Map() })),
    }));
    const opts = { stepMs: 120_000, groupBy: ['r'], filter: {} };
    expect(aggregate(rows, { ...opts, stat: { kind: 'sum' } })).toEqual([
      { tags: { r: 'eu' }, points: [[NOW, 3]] },
      { tags: { r: 'us' }, points: [[NOW, 12]] },
    ]);
    expect(aggregate(rows, { ...opts, groupBy: [], stat: { kind: 'rate' } })[0]!.points).toEqual([[NOW, 15 / 120]]);
  });
});

describe('OTLP mapping', () => {
  it('maps ids, times, severities and resources', () => {
    expect(nanosToMs('1764169200123456789')).toBe(1_764_169_200_123);
    expect(otlpId('AAECAwQFBgcICQoLDA0ODw==', 16)).toBe('000102030405060708090a0b0c0d0e0f');
    expect(otlpId('ABCDEF0123456789', 8)).toBe('abcdef0123456789');
    expect([levelOf(17, ''), levelOf(undefined, 'Warning'), levelOf(24, ''), levelOf(0, 'x')]).toEqual([
      'error',
      'warn',
      'fatal',
      'info',
    ]);
    const stamp = resourceStamp({
      attributes: [
        { key: 'service.name', value: { stringValue: 'my svc' } },
        { key: 'deployment.environment.name', value: { stringValue: 'prod' } },
        { key: 'host.name', value: { stringValue: 'h1' } },
      ],
    });
    expect(stamp).toEqual({ service: 'my_svc', environment: 'prod', resource: { 'host.name': 'h1' } });
    const [batch] = mapOtlpLogs({
      resourceLogs: [
        {
          scopeLogs: [
            { logRecords: [{ body: { kvlistValue: { values: [{ key: 'a', value: { intValue: '1' } }] } } }] },
          ],
        },
      ],
    });
    expect(batch!.logs).toEqual([expect.objectContaining({ message: '{"a":1}', level: 'info' })]);
  });

  it('maps delta explicit-bucket histograms to contributions with count, sum, min and max', () => {
    const { batches, refused } = mapOtlpMetrics({
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'lat',
                  histogram: {
                    aggregationTemporality: 1,
                    dataPoints: [
                      {
                        count: '4',
                        sum: 40,
                        min: 1,
                        max: 25,
                        explicitBounds: [5, 10, 50],
                        bucketCounts: ['1', '1', '2', '0'],
                      },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    });
    expect(refused).toEqual([]);
    const c = batches[0]!.contributions.get(0)!;
    expect([c.count, c.sum, c.min, c.max]).toEqual([4, 40, 1, 25]);
    expect([...c.buckets!.values()].reduce((a, b) => a + b, 0)).toBe(4);
  });
});
