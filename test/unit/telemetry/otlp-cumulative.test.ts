import { describe, expect, it } from 'vitest';
import { type CumulativeValue, cumulativeDelta } from '../../../functions/core/telemetry/otlp-cumulative.js';
import {
  cumulativePoints,
  resolveStreams,
  type StreamState,
  type StreamStore,
} from '../../../functions/core/telemetry/otlp-streams.js';

const NOW = Date.UTC(2025, 10, 26, 15, 0, 0);
const sum = (value: number): CumulativeValue => ({ kind: 'sum', value });

describe('cumulative → delta', () => {
  it.each([
    ['first point: the whole value', undefined, sum(7), 'first', sum(7)],
    ['growth: the difference', sum(7), sum(10), 'delta', sum(3)],
    ['no change: zero', sum(7), sum(7), 'delta', sum(0)],
    ['went down: a reset, the new value', sum(7), sum(2), 'reset', sum(2)],
  ])('%s', (_name, prev, next, kind, delta) => {
    const out = cumulativeDelta(prev, next);
    expect(out.kind).toBe(kind);
    expect(out.delta).toEqual(delta);
  });

  it('histograms subtract per bucket; a bucket that goes down or new bounds are a reset', () => {
    const h = (count: number, counts: number[], bounds = [1, 2]): CumulativeValue => ({
      kind: 'histogram',
      count,
      sum: count * 1.5,
      bounds,
      counts,
    });
    expect(cumulativeDelta(h(3, [1, 1, 1]), h(6, [2, 3, 1])).delta).toEqual(h(3, [1, 2, 0]));
    expect(cumulativeDelta(h(3, [1, 1, 1]), h(4, [0, 3, 1])).kind).toBe('reset');
    expect(cumulativeDelta(h(3, [1, 1, 1]), h(6, [2, 3, 1], [1, 5])).kind).toBe('reset');
  });

  it('exponential histograms: a lower scale merges the previous buckets before subtracting', () => {
    const e = (scale: number, offset: number, counts: number[]): CumulativeValue => ({
      kind: 'exponential',
      count: counts.reduce((a, b) => a + b, 0),
      sum: 0,
      scale,
      zeroCount: 0,
      positive: { offset, counts },
      negative: { offset: 0, counts: [] },
    });
    // Scale 1 buckets 2,3,4,5 hold 1,1,1,1; at scale 0 they are buckets 1 and 2 (2+2); then 3 and 4 arrive.
    const out = cumulativeDelta(e(1, 2, [1, 1, 1, 1]), e(0, 1, [3, 6]));
    expect(out.kind).toBe('delta');
    expect(out.delta).toMatchObject({ count: 5, positive: { offset: 1, counts: [1, 4] } });
    expect(cumulativeDelta(e(0, 1, [3, 6]), e(1, 2, [3, 3, 3, 3])).kind).toBe('reset');
  });
});

/** In-memory stand-in for the stream store (domain unit test only), with the conditional write's semantics. */
function memoryStore(): StreamStore & { items: Map<string, StreamState> } {
  const items = new Map<string, StreamState>();
  return {
    items,
    async get(service, id) {
      return items.get(`${service}#${id}`);
    },
    async put(service, id, next, prev) {
      const stored = items.get(`${service}#${id}`);
      if ((prev === undefined) !== (stored === undefined) || (prev && stored && prev.timeNanos !== stored.timeNanos)) {
        return false;
      }
      items.set(`${service}#${id}`, next);
      return true;
    },
  };
}

const request = (start: number, at: number, total: number) => ({
  resourceMetrics: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 's' } }] },
      scopeMetrics: [
        {
          metrics: [
            {
              name: 'n',
              sum: {
                aggregationTemporality: 2,
                isMonotonic: true,
                dataPoints: [
                  { startTimeUnixNano: `${start}000000`, timeUnixNano: `${at}000000`, asInt: String(total) },
                ],
              },
            },
          ],
        },
      ],
    },
  ],
});

describe('stream resolution', () => {
  const deps = (store: StreamStore, batchId: string) => ({
    store,
    batchId,
    now: NOW,
    maxAgeMs: 24 * 3_600_000,
    ttlMs: 48 * 3_600_000,
  });
  const resolve = async (store: StreamStore, body: unknown, batchId: string) =>
    [...(await resolveStreams(cumulativePoints(body), deps(store, batchId))).values()][0];

  it('a restart (new start time) is a new stream, counted from zero', async () => {
    const store = memoryStore();
    expect(await resolve(store, request(NOW - 600_000, NOW - 300_000, 5), 'b1')).toMatchObject({ asDouble: 5 });
    expect(await resolve(store, request(NOW - 600_000, NOW - 240_000, 9), 'b2')).toMatchObject({ asDouble: 4 });
    expect(await resolve(store, request(NOW - 100_000, NOW - 60_000, 2), 'b3')).toMatchObject({ asDouble: 2 });
    expect(store.items.size).toBe(2);
  });

  it('a point already counted adds nothing; a retry of the batch that counted it re-emits the same delta', async () => {
    const store = memoryStore();
    await resolve(store, request(NOW - 600_000, NOW - 300_000, 5), 'b1');
    await resolve(store, request(NOW - 600_000, NOW - 240_000, 9), 'b2');
    expect(await resolve(store, request(NOW - 600_000, NOW - 240_000, 9), 'other')).toBeNull();
    expect(await resolve(store, request(NOW - 600_000, NOW - 240_000, 9), 'b2')).toMatchObject({ asDouble: 4 });
    expect(await resolve(store, request(NOW - 600_000, NOW - 300_000, 5), 'b1')).toBeNull(); // older than the last
  });

  it('a stream first seen long after it started only seeds its baseline (its total is history)', async () => {
    const store = memoryStore();
    expect(await resolve(store, request(NOW - 3 * 86_400_000, NOW - 60_000, 1_000), 'b1')).toBeNull();
    expect(await resolve(store, request(NOW - 3 * 86_400_000, NOW, 1_004), 'b2')).toMatchObject({ asDouble: 4 });
  });
});
