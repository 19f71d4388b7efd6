import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../functions/ingest/handler.js';
import { type ApiHandler, invoke } from '../support/ingest-invoker.js';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';

/**
 * Cumulative temporality (issue #11 item 1) against dynalite: the stream state is real DynamoDB items written
 * conditionally; two ingest instances are two handler factories (two clients, two caches) on one table.
 */
let vigil: TestVigil;
let ingestToken: string;
let readToken: string;
let instances: [ApiHandler, ApiHandler];

beforeAll(async () => {
  vigil = await startTestVigil();
  [ingestToken, readToken] = await Promise.all([vigil.mintToken(['ingest']), vigil.mintToken(['read'])]);
  instances = [
    createHandler(vigil.environmentOf('ingest')) as unknown as ApiHandler,
    createHandler(vigil.environmentOf('ingest')) as unknown as ApiHandler,
  ];
});
afterAll(() => vigil?.close());

async function sums(service: string, name: string, groupBy: string): Promise<Record<string, number>> {
  const res = await vigil.request(
    `/v1/metrics/query?service=${service}&name=${name}&stat=sum&step=1h&from=-3h&groupBy=${groupBy}`,
    { token: readToken },
  );
  expect(res.status).toBe(200);
  const body = (await res.json()) as { series: { tags: Record<string, string>; points: [number, number][] }[] };
  return Object.fromEntries(body.series.map((s) => [s.tags[groupBy] ?? '', s.points.reduce((a, [, v]) => a + v, 0)]));
}

const base = Date.now() - 30 * 60_000;
const nanos = (ms: number) => `${ms}000000`;

/** One export of a cumulative monotonic sum: `points` are [stream tag, total] at `at` ms, started at `start`. */
function sumExport(service: string, start: number, at: number, points: [string, number][]) {
  return {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeMetrics: [
          {
            scope: { name: 'app', version: '1' },
            metrics: [
              {
                name: 'jobs.done',
                sum: {
                  aggregationTemporality: 2,
                  isMonotonic: true,
                  dataPoints: points.map(([k, total]) => ({
                    attributes: [{ key: 'k', value: { stringValue: k } }],
                    startTimeUnixNano: nanos(start),
                    timeUnixNano: nanos(at),
                    asInt: String(total),
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

/**
 * Two streams, a and b. Process 1 starts at `base`; a goes 5, 8, 3 (went down: a reset, delta 3), 10; b goes 2,
 * 2, 7. Process 2 (a restart: new start time) sends a 4, 6 and b 1. Deltas sent: a 5+3+3+7+4+2 = 24, b 2+0+5+1 = 8.
 */
function scenario(service: string) {
  const restart = base + 10 * 60_000;
  return [
    sumExport(service, base, base + 60_000, [
      ['a', 5],
      ['b', 2],
    ]),
    sumExport(service, base, base + 120_000, [
      ['a', 8],
      ['b', 2],
    ]),
    sumExport(service, base, base + 180_000, [
      ['a', 3],
      ['b', 7],
    ]),
    sumExport(service, base, base + 240_000, [['a', 10]]),
    sumExport(service, restart, restart + 60_000, [
      ['a', 4],
      ['b', 1],
    ]),
    sumExport(service, restart, restart + 120_000, [['a', 6]]),
  ];
}

const post = (handler: ApiHandler, json: unknown) =>
  invoke(handler, 'POST /v1/metrics', { token: ingestToken, json }).then((a) => {
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(a.body).toEqual({});
  });

describe('cumulative sums become exactly the deltas sent', () => {
  it('two OTLP streams with resets and a restart of the sending process produce exactly the deltas sent', async () => {
    const exports = scenario('cumulative-seq');
    // Alternate instances, and deliver the third export twice (an exporter retry to the other instance).
    for (const [i, body] of exports.entries()) {
      await post(instances[i % 2]!, body);
      if (i === 2) await post(instances[(i + 1) % 2]!, body);
    }
    expect(await sums('cumulative-seq', 'jobs.done', 'k')).toEqual({ a: 24, b: 8 });
  });

  it('two ingest instances racing on one stream (different exports at once, each also delivered twice) do not double count', async () => {
    const service = 'cumulative-race';
    const totals: [string, number][][] = [
      [
        ['a', 5],
        ['b', 2],
      ],
      [
        ['a', 8],
        ['b', 2],
      ],
      [
        ['a', 12],
        ['b', 7],
      ],
      [
        ['a', 20],
        ['b', 9],
      ],
    ];
    const exports = totals.map((points, i) => sumExport(service, base, base + (i + 1) * 60_000, points));
    // Exports 1 and 2 at once, then 3 and 4 at once, each to both instances: four requests racing per pair.
    for (const pair of [exports.slice(0, 2), exports.slice(2, 4)]) {
      await Promise.all(pair.flatMap((body) => [post(instances[0], body), post(instances[1], body)]));
    }
    // Whatever order they landed in, the totals are the last values (no resets in this sequence).
    expect(await sums(service, 'jobs.done', 'k')).toEqual({ a: 20, b: 9 });
  });

  it('a cumulative histogram stores per-export deltas; a count that goes down is a reset', async () => {
    const hist = (at: number, count: number, counts: number[], sum: number) => ({
      resourceMetrics: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'cumulative-hist' } }] },
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'lat',
                  histogram: {
                    aggregationTemporality: 2,
                    dataPoints: [
                      {
                        startTimeUnixNano: nanos(base),
                        timeUnixNano: nanos(at),
                        count: String(count),
                        sum,
                        explicitBounds: [10, 100],
                        bucketCounts: counts.map(String),
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
    await post(instances[0], hist(base + 60_000, 3, [1, 2, 0], 60));
    await post(instances[1], hist(base + 120_000, 5, [1, 3, 1], 300));
    await post(instances[0], hist(base + 180_000, 2, [2, 0, 0], 8)); // went down: a reset
    const res = await vigil.request('/v1/metrics/query?service=cumulative-hist&name=lat&stat=count&step=1h&from=-3h', {
      token: readToken,
    });
    const body = (await res.json()) as { series: { points: [number, number][] }[] };
    expect(body.series[0]!.points.reduce((a, [, v]) => a + v, 0)).toBe(3 + 2 + 2);
  });
});

describe('a request over the item limit', () => {
  it('is refused (413) before any stream state is written: the next export counts from the stream start', async () => {
    const service = 'cumulative-413';
    const many = Array.from({ length: 10_001 }, (_, i): [string, number] => [`s${i}`, 1]);
    const big = sumExport(service, base, base + 60_000, [['a', 5], ...many]);
    const res = await invoke(instances[0], 'POST /v1/metrics', { token: ingestToken, json: big });
    expect(res.status).toBe(413);
    await post(instances[1], sumExport(service, base, base + 120_000, [['a', 9]]));
    expect(await sums(service, 'jobs.done', 'k')).toEqual({ a: 9 });
  });
});

describe('the OpenTelemetry JS SDK with its default (cumulative) temporality', () => {
  it.each([
    ['JSON', (url: string, headers: Record<string, string>) => new JsonMetricExporter({ url, headers })],
    ['protobuf', (url: string, headers: Record<string, string>) => new ProtoMetricExporter({ url, headers })],
  ])('%s exporter: a counter and a histogram exported twice come back as totals', async (encoding, exporter) => {
    const service = `sdk-cumulative-${encoding.toLowerCase()}`;
    const meterProvider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': service }),
      readers: [
        new PeriodicExportingMetricReader({
          exporter: exporter(`${vigil.url}/v1/metrics`, { authorization: `Bearer ${ingestToken}` }),
          exportIntervalMillis: 3_600_000,
        }),
      ],
    });
    const meter = meterProvider.getMeter('test');
    const counter = meter.createCounter('orders');
    const histogram = meter.createHistogram('checkout.duration', { unit: 'ms' });
    for (let i = 1; i <= 50; i++) {
      counter.add(2, { region: 'eu' });
      histogram.record(i);
    }
    await meterProvider.forceFlush();
    for (let i = 51; i <= 100; i++) {
      counter.add(1, { region: 'eu' });
      histogram.record(i);
    }
    await meterProvider.forceFlush();
    await meterProvider.shutdown();
    expect(await sums(service, 'orders', 'region')).toEqual({ eu: 150 });
    const p50 = await vigil.request(
      `/v1/metrics/query?service=${service}&name=checkout.duration&stat=p50&step=1h&from=-3h`,
      {
        token: readToken,
      },
    );
    const q = (await p50.json()) as { series: { points: [number, number][] }[] };
    const count = await vigil.request(
      `/v1/metrics/query?service=${service}&name=checkout.duration&stat=count&step=1h&from=-3h`,
      {
        token: readToken,
      },
    );
    const c = (await count.json()) as { series: { points: [number, number][] }[] };
    expect(c.series[0]!.points.reduce((a, [, v]) => a + v, 0)).toBe(100);
    expect(Math.abs(q.series[0]!.points.at(-1)![1] - 50) / 50).toBeLessThan(0.02);
  });
});
