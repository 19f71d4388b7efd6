import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPTH_MARKER } from '../../functions/core/telemetry/otlp-common.js';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';

/** Hostile and out-of-range OTLP input through local mode's real gateway, handler and dynalite. */
let vigil: TestVigil;
let ingest: string;
let read: string;

beforeAll(async () => {
  vigil = await startTestVigil();
  [ingest, read] = await Promise.all([vigil.mintToken(['ingest']), vigil.mintToken(['read'])]);
});
afterAll(() => vigil?.close());

/** The reproducer, byte for byte: `d` nested arrayValues around "x" as a log body. */
const reproducer = (d: number, service: string) => {
  const n = `${'{"arrayValue":{"values":['.repeat(d)}{"stringValue":"x"}${']}}'.repeat(d)}`;
  return `{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"${service}"}}]},"scopeLogs":[{"logRecords":[{"body":${n}}]}]}]}`;
};

async function postRaw(path: string, body: string) {
  return vigil.request(path, {
    method: 'POST',
    token: ingest,
    headers: { 'content-type': 'application/json' },
    body,
  });
}

describe('nested OTLP AnyValues (issue #9 item 2)', () => {
  it.each([
    [28, 'deep-28'],
    [10_000, 'deep-10000'],
  ])('depth %i: 200, stored with the levels past 16 marked', async (depth, service) => {
    const res = await postRaw('/v1/logs', reproducer(depth, service));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    const logs = await vigil.request(`/v1/logs?service=${service}`, { token: read });
    const { items } = (await logs.json()) as { items: { message: string }[] };
    expect(items).toHaveLength(1);
    expect(items[0]!.message).toBe(`${'['.repeat(16)}${JSON.stringify(DEPTH_MARKER)}${']'.repeat(16)}`);
  });
});

const resourceOf = (service: string) => ({
  attributes: [{ key: 'service.name', value: { stringValue: service } }],
});
const nowNanos = () => `${Date.now()}000000`;

async function query(path: string) {
  const res = await vigil.request(path, { token: read });
  expect(res.status, path).toBe(200);
  return (await res.json()) as { series: { tags: Record<string, string>; points: [number, number][] }[] };
}

describe('large and malformed numbers (issue #9 items 13, 16)', () => {
  it('an OTLP histogram count of "1e20" and a negative bucket count are refused per point; the good point is stored', async () => {
    const point = {
      timeUnixNano: nowNanos(),
      count: '3',
      sum: 6,
      explicitBounds: [1, 2],
      bucketCounts: ['1', '1', '1'],
    };
    const res = await vigil.request('/v1/metrics', {
      method: 'POST',
      token: ingest,
      json: {
        resourceMetrics: [
          {
            resource: resourceOf('big-numbers'),
            scopeMetrics: [
              {
                metrics: [
                  {
                    name: 'lat',
                    histogram: {
                      aggregationTemporality: 1,
                      dataPoints: [{ ...point, count: '1e20' }, point, { ...point, bucketCounts: ['2', '-1', '2'] }],
                    },
                  },
                ],
              },
            ],
          },
        ],
      },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { partialSuccess: { rejectedDataPoints: number; errorMessage: string } };
    expect(body.partialSuccess.rejectedDataPoints).toBe(2);
    expect(body.partialSuccess.errorMessage).toContain('metrics[0].histogram.dataPoints[0].count');
    expect(body.partialSuccess.errorMessage).toContain('metrics[0].histogram.dataPoints[2].bucketCounts[1]');
    const count = await query('/v1/metrics/query?service=big-numbers&name=lat&stat=count&step=1h&from=-2h');
    expect(count.series[0]!.points[0]![1]).toBe(3);
  });

  it('ten native counters of 1e15: 202, nine kept, the tenth refused by path, the log stored once, no 500', async () => {
    const metrics = Array.from({ length: 10 }, () => ({ name: 'huge', type: 'counter', value: 1e15 }));
    const res = await vigil.request('/v1/ingest', {
      method: 'POST',
      token: ingest,
      json: { service: 'huge-counters', metrics, logs: [{ message: 'with the counters' }] },
    });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { accepted: { metrics: number; logs: number }; rejected: { path: string }[] };
    expect(body.accepted).toMatchObject({ metrics: 9, logs: 1 });
    expect(body.rejected.map((r) => r.path)).toEqual(['metrics[9]']);
    const sum = await query('/v1/metrics/query?service=huge-counters&name=huge&stat=sum&step=1h&from=-2h');
    expect(sum.series[0]!.points[0]![1]).toBe(9e15);
  });

  it('tag sets that used to merge stay two series (issue #9 item 15)', async () => {
    const res = await vigil.request('/v1/ingest', {
      method: 'POST',
      token: ingest,
      json: {
        service: 'tag-merge',
        metrics: [
          { name: 'c', type: 'counter', value: 1, tags: { a: 'x\u0001b=y' } },
          { name: 'c', type: 'counter', value: 10, tags: { a: 'x', b: 'y' } },
        ],
      },
    });
    expect(res.status).toBe(202);
    const byA = await query('/v1/metrics/query?service=tag-merge&name=c&stat=sum&step=1h&from=-2h&groupBy=a,b');
    const sums = byA.series.map((s) => s.points[0]![1]).sort((x, y) => x - y);
    expect(sums).toEqual([1, 10]);
  });
});

describe('refused data is counted per service and reason (issue #11 item 4)', () => {
  it('GET /v1/services/{service}/refused: counts by reason code with a sentence and an example', async () => {
    const point = { timeUnixNano: nowNanos(), count: '1', sum: 1, explicitBounds: [1], bucketCounts: ['1', '0'] };
    for (let i = 0; i < 2; i++) {
      const res = await vigil.request('/v1/metrics', {
        method: 'POST',
        token: ingest,
        json: {
          resourceMetrics: [
            {
              resource: resourceOf('refusing'),
              scopeMetrics: [
                {
                  metrics: [
                    {
                      name: 'lat',
                      histogram: {
                        aggregationTemporality: 1,
                        dataPoints: [point, { ...point, bucketCounts: ['-1', '2'] }, { ...point, count: '1e20' }],
                      },
                    },
                    { name: 'old', gauge: { dataPoints: [{ asDouble: 1, timeUnixNano: '1000000000000000000' }] } },
                  ],
                },
              ],
            },
          ],
        },
      });
      expect(res.status).toBe(200);
    }
    const res = await vigil.request('/v1/services/refusing/refused', { token: read });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      service: string;
      items: { code: string; count: number; message: string; example: string }[];
    };
    expect(body.service).toBe('refusing');
    expect(body.items.map((i) => [i.code, i.count])).toEqual([
      ['invalid-point', 4],
      ['too-old', 2],
    ]);
    expect(body.items[0]!.message).toMatch(/not self-consistent/);
    expect(body.items[1]!.example).toMatch(/dataPoints\[0\]\.timestamp: is older than the 24 h ingest window/);
  });

  it('a malformed service name is a 400 naming the field; a service with nothing refused has no items', async () => {
    const bad = await vigil.request('/v1/services/.x/refused', { token: read });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe('service');
    const none = await vigil.request('/v1/services/never-refused/refused', { token: read });
    expect(((await none.json()) as { items: unknown[] }).items).toEqual([]);
  });
});
