import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';

/**
 * Issue #11 item 5: a service on OpenTelemetry's HTTP conventions (stable: `http.server.request.duration` in s
 * with `http.response.status_code` and `http.route`; older: `http.server.duration` in ms with `http.status_code`)
 * gets the same request rate, error rate and p95 in `/v1/services` as one on Vigil's SDK.
 */
let vigil: TestVigil;
let ingest: string;
let read: string;

beforeAll(async () => {
  vigil = await startTestVigil();
  [ingest, read] = await Promise.all([vigil.mintToken(['ingest']), vigil.mintToken(['read'])]);
});
afterAll(() => vigil?.close());

const SECONDS_BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const MS_BOUNDS = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

function bucketize(values: number[], bounds: number[]) {
  const counts = new Array<number>(bounds.length + 1).fill(0);
  for (const v of values) {
    const i = bounds.findIndex((b) => v <= b);
    counts[i === -1 ? bounds.length : i]!++;
  }
  return counts;
}

/** 90 requests answered 200 and 10 answered 500, taking 1..100 ms. */
const durationsMs = Array.from({ length: 100 }, (_, i) => i + 1);
const statusOf = (i: number) => (i % 10 === 9 ? 500 : 200);

function otlpHistogram(service: string, name: string, unit: string, codeKey: string, toUnit: number, bounds: number[]) {
  const byStatus = new Map<number, number[]>();
  for (const [i, ms] of durationsMs.entries()) {
    byStatus.set(statusOf(i), [...(byStatus.get(statusOf(i)) ?? []), ms * toUnit]);
  }
  const now = `${Date.now()}000000`;
  return {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeMetrics: [
          {
            metrics: [
              {
                name,
                unit,
                histogram: {
                  aggregationTemporality: 1,
                  dataPoints: [...byStatus].map(([status, values]) => ({
                    attributes: [
                      { key: codeKey, value: { intValue: String(status) } },
                      { key: 'http.route', value: { stringValue: '/cart' } },
                      { key: 'http.request.method', value: { stringValue: 'GET' } },
                    ],
                    timeUnixNano: now,
                    count: String(values.length),
                    sum: values.reduce((a, b) => a + b, 0),
                    min: Math.min(...values),
                    max: Math.max(...values),
                    explicitBounds: bounds,
                    bucketCounts: bucketize(values, bounds).map(String),
                  })),
                },
              },
            ],
          },
        ],
      },
    ],
  };
}

describe('HTTP semantic conventions', () => {
  it('stable, older and Vigil-SDK services get the same rate, error rate and p95', async () => {
    const sent = [
      otlpHistogram(
        'semconv-stable',
        'http.server.request.duration',
        's',
        'http.response.status_code',
        0.001,
        SECONDS_BOUNDS,
      ),
      otlpHistogram('semconv-old', 'http.server.duration', 'ms', 'http.status_code', 1, MS_BOUNDS),
    ];
    for (const json of sent) {
      const res = await vigil.request('/v1/metrics', { method: 'POST', token: ingest, json });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({});
    }
    const native = await vigil.request('/v1/ingest', {
      method: 'POST',
      token: ingest,
      json: {
        service: 'semconv-sdk',
        metrics: [
          { name: 'http.server.requests', type: 'counter', value: 90, tags: { route: '/cart', status_class: '2xx' } },
          { name: 'http.server.requests', type: 'counter', value: 10, tags: { route: '/cart', status_class: '5xx' } },
          {
            name: 'http.server.duration',
            type: 'histogram',
            unit: 'ms',
            values: durationsMs,
            tags: { route: '/cart' },
          },
        ],
      },
    });
    expect(native.status).toBe(202);

    const res = await vigil.request('/v1/services', { token: read });
    const { items } = (await res.json()) as { items: Record<string, unknown>[] };
    const summary = (service: string) => items.find((s) => s.service === service)!;
    const sdk = summary('semconv-sdk');
    expect(sdk).toMatchObject({ source: 'metrics', errorRate: 0.1 });
    for (const service of ['semconv-stable', 'semconv-old']) {
      const s = summary(service);
      expect(s, service).toMatchObject({ source: 'metrics', requestRate: sdk.requestRate, errorRate: 0.1 });
      expect(Math.abs((s.p95LatencyMs as number) - 95) / 95, `${service} p95 ${s.p95LatencyMs}`).toBeLessThan(0.02);
    }

    // The series are queryable by route and status class, in ms, whatever the convention.
    const q = await vigil.request(
      '/v1/metrics/query?service=semconv-stable&name=http.server.requests&stat=sum&step=1h&from=-1h&groupBy=status_class',
      { token: read },
    );
    const { series } = (await q.json()) as { series: { tags: Record<string, string>; points: [number, number][] }[] };
    expect(Object.fromEntries(series.map((s) => [s.tags.status_class, s.points[0]![1]]))).toEqual({
      '2xx': 90,
      '5xx': 10,
    });
  });
});
