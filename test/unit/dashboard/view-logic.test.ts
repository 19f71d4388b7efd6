import { describe, expect, it } from 'vitest';
import { silenceFor } from '../../../dashboard/src/api/silences.js';
import { errorRatio } from '../../../dashboard/src/lib/error-ratio.js';
import { layoutGraph } from '../../../dashboard/src/lib/graph-layout.js';
import { waterfall } from '../../../dashboard/src/lib/waterfall.js';
import { worstFirst, worstHealth } from '../../../dashboard/src/lib/worst-first.js';

describe('waterfall', () => {
  it('orders spans depth-first under their parents with offsets relative to the trace', () => {
    const spans = [
      { spanId: 'c', parentSpanId: 'a', startTime: 150, endTime: 190 },
      { spanId: 'a', startTime: 100, endTime: 200 },
      { spanId: 'b', parentSpanId: 'a', startTime: 110, endTime: 140 },
      { spanId: 'd', parentSpanId: 'b', startTime: 120, endTime: 130 },
      { spanId: 'orphan', parentSpanId: 'gone', startTime: 180, endTime: 200 },
    ];
    const { rows, totalMs } = waterfall(spans);
    expect(totalMs).toBe(100);
    expect(rows.map((r) => [r.span.spanId, r.depth])).toEqual([
      ['a', 0],
      ['b', 1],
      ['d', 2],
      ['c', 1],
      ['orphan', 0],
    ]);
    expect(rows[3]).toMatchObject({ offset: 0.5, width: 0.4 });
  });
});

describe('dependency map layout', () => {
  it('puts callers left of callees and survives a cycle', () => {
    const pos = layoutGraph(
      ['checkout', 'payments', 'stripe', 'inventory'],
      [
        { source: 'checkout', target: 'payments' },
        { source: 'payments', target: 'stripe' },
        { source: 'checkout', target: 'inventory' },
        { source: 'stripe', target: 'checkout' },
      ],
    );
    const x = (n: string) => pos.get(n)!.x;
    expect(x('payments')).toBeGreaterThan(x('checkout'));
    expect(x('stripe')).toBeGreaterThan(x('payments'));
    for (const p of pos.values()) {
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.x).toBeLessThanOrEqual(1);
    }
  });
});

describe('overview order', () => {
  it('puts firing alerts first, then down, degraded, and higher error rates', () => {
    const rows = [
      { service: 'a', health: 'up' as const, firing: 0, errorRate: 0.5 },
      { service: 'b', health: 'down' as const, firing: 0, errorRate: 0 },
      { service: 'c', health: 'up' as const, firing: 2, errorRate: 0 },
      { service: 'd', health: 'degraded' as const, firing: 0, errorRate: 0 },
      { service: 'e', health: 'up' as const, firing: 0, errorRate: 0.1 },
    ];
    expect(worstFirst(rows).map((r) => r.service)).toEqual(['c', 'b', 'd', 'a', 'e']);
    expect(worstHealth(['up', 'degraded', 'up'])).toBe('degraded');
    expect(worstHealth([])).toBe('none');
    expect(worstHealth(['weird'])).toBe('unknown');
  });
});

describe('error rate from status classes', () => {
  it('divides 5xx by all requests per step, skipping steps without traffic', () => {
    const series = [
      {
        tags: { status_class: '2xx' },
        points: [
          [1, 9],
          [2, 0],
          [3, 4],
        ] as [number, number][],
      },
      {
        tags: { status_class: '5xx' },
        points: [
          [1, 1],
          [3, 4],
        ] as [number, number][],
      },
      { tags: { status_class: '4xx' }, points: [[3, 2]] as [number, number][] },
    ];
    expect(errorRatio(series)).toEqual([
      [1, 0.1],
      [3, 0.4],
    ]);
  });
});

describe('silence from an alert', () => {
  it('matches exactly the alert labels for an hour from the pinned now', () => {
    expect(silenceFor({ service: 'checkout', rule: 'latency' }, 0, 'ana')).toEqual({
      matchers: [
        { label: 'service', op: '=', value: 'checkout' },
        { label: 'rule', op: '=', value: 'latency' },
      ],
      startsAt: '1970-01-01T00:00:00.000Z',
      endsAt: '1970-01-01T01:00:00.000Z',
      comment: 'silenced from the dashboard',
      createdBy: 'ana',
    });
  });
});
