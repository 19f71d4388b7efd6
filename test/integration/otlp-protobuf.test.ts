import { gzipSync } from 'node:zlib';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { AggregationTemporalityPreference } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import otlp from '../../functions/adapters/otlp-proto/otlp.generated.cjs';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';

/** OTLP/HTTP protobuf from the real OpenTelemetry JS `-proto` exporters, through local mode. */
let vigil: TestVigil;
let ingest: string;
let read: string;
let traceId: string;

const resource = resourceFromAttributes({
  'service.name': 'proto-shop',
  'service.version': '3.1.0',
  'deployment.environment': 'production',
});
const metricsV1 = otlp.opentelemetry.proto.collector.metrics.v1;

async function get<T>(path: string): Promise<T> {
  const res = await vigil.request(path, { token: read });
  expect(res.status, `${path}: ${res.status}`).toBe(200);
  return (await res.json()) as T;
}

beforeAll(async () => {
  vigil = await startTestVigil();
  [ingest, read] = await Promise.all([vigil.mintToken(['ingest']), vigil.mintToken(['read'])]);
  const headers = { authorization: `Bearer ${ingest}` };

  const tracerProvider = new BasicTracerProvider({
    resource,
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${vigil.url}/v1/traces`, headers }))],
  });
  const tracer = tracerProvider.getTracer('test');
  const root = tracer.startSpan('GET /basket', { kind: SpanKind.SERVER, attributes: { 'http.route': '/basket' } });
  const child = tracer.startSpan(
    'POST stock',
    { kind: SpanKind.CLIENT, attributes: { 'peer.service': 'stock' } },
    trace.setSpan(context.active(), root),
  );
  child.recordException(new RangeError('no stock'));
  child.setStatus({ code: SpanStatusCode.ERROR });
  child.end();
  root.end();
  traceId = root.spanContext().traceId;

  const loggerProvider = new LoggerProvider({
    resource,
    processors: [
      new SimpleLogRecordProcessor({
        exporter: new OTLPLogExporter({ url: `${vigil.url}/v1/logs`, headers, compression: 'gzip' as never }),
      }),
    ],
  });
  loggerProvider.getLogger('test').emit({
    severityNumber: 13,
    body: { kvlistValue: undefined, text: 'stock low' } as never,
    attributes: { sku: 'A-1', nested: ['x', 'y'] as never },
  });

  const meterProvider = new MeterProvider({
    resource,
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({
          url: `${vigil.url}/v1/metrics`,
          headers,
          temporalityPreference: AggregationTemporalityPreference.DELTA,
        }),
        exportIntervalMillis: 3_600_000,
      }),
    ],
  });
  const meter = meterProvider.getMeter('test');
  const counter = meter.createCounter('baskets.created');
  for (let i = 0; i < 5; i++) counter.add(i + 1, { region: 'us' });
  const histogram = meter.createHistogram('basket.duration', { unit: 'ms' });
  for (let i = 1; i <= 100; i++) histogram.record(i);

  await Promise.all([tracerProvider.forceFlush(), loggerProvider.forceFlush(), meterProvider.forceFlush()]);
  await Promise.all([tracerProvider.shutdown(), loggerProvider.shutdown(), meterProvider.shutdown()]);
});
afterAll(() => vigil?.close());

describe('OTLP/HTTP protobuf from the real OpenTelemetry JS -proto exporters', () => {
  it('stores spans with ids, kinds and status, and exception events as error groups', async () => {
    const body = await get<{ spans: Record<string, unknown>[] }>(`/v1/traces/${traceId}`);
    expect(body.spans.map((s) => [s.name, s.kind, s.status, s.service, s.version, s.environment])).toEqual([
      ['GET /basket', 'server', 'unset', 'proto-shop', '3.1.0', 'production'],
      ['POST stock', 'client', 'error', 'proto-shop', '3.1.0', 'production'],
    ]);
    const errors = await get<{ items: { type: string; count: number }[] }>('/v1/errors?service=proto-shop');
    expect(errors.items).toEqual([expect.objectContaining({ type: 'RangeError', count: 1 })]);
  });

  it('stores gzip-compressed logs with level and attributes', async () => {
    const logs = await get<{ items: { level: string; message: string; attributes: Record<string, unknown> }[] }>(
      '/v1/logs?service=proto-shop',
    );
    expect(logs.items).toHaveLength(1);
    expect(logs.items[0]).toMatchObject({ level: 'warn', attributes: { sku: 'A-1', nested: '["x","y"]' } });
    expect(logs.items[0]!.message).toContain('stock low');
  });

  it('stores delta counters and histograms: sum 15, count 100, p50 50 and p99 99 (within 1%)', async () => {
    const sum = await get<{ series: { points: [number, number][] }[] }>(
      '/v1/metrics/query?service=proto-shop&name=baskets.created&stat=sum&step=1h&from=-2h',
    );
    expect(sum.series[0]!.points[0]![1]).toBe(15);
    for (const [stat, expected] of [
      ['count', 100],
      ['p50', 50],
      ['p99', 99],
    ] as const) {
      const q = await get<{ series: { points: [number, number][] }[] }>(
        `/v1/metrics/query?service=proto-shop&name=basket.duration&stat=${stat}&step=1h&from=-2h`,
      );
      expect(Math.abs(q.series[0]!.points[0]![1] - expected) / expected, stat).toBeLessThan(0.01);
    }
  });
});

describe('protobuf answers and bad protobuf', () => {
  const post = (path: string, body: Uint8Array, headers: Record<string, string> = {}) =>
    vigil.request(path, {
      method: 'POST',
      token: ingest,
      headers: { 'content-type': 'application/x-protobuf', ...headers },
      body: Buffer.from(body),
    });

  const request = (points: Record<string, unknown>[]) =>
    metricsV1.ExportMetricsServiceRequest.encode(
      metricsV1.ExportMetricsServiceRequest.fromObject({
        resourceMetrics: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'proto-raw' } }] },
            scopeMetrics: [
              {
                metrics: [
                  {
                    name: 'lat',
                    histogram: { aggregationTemporality: 1, dataPoints: points },
                  },
                ],
              },
            ],
          },
        ],
      }),
    ).finish();
  const point = {
    timeUnixNano: Date.now() * 1e6,
    count: 2,
    sum: 3,
    explicitBounds: [1],
    bucketCounts: [1, 1],
  };

  it('answers partial success as a protobuf ExportMetricsServiceResponse, gzip or not', async () => {
    for (const gzip of [false, true]) {
      const bytes = request([point, { ...point, bucketCounts: [5, 1] }]);
      const res = await post('/v1/metrics', gzip ? gzipSync(bytes) : bytes, gzip ? { 'content-encoding': 'gzip' } : {});
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/x-protobuf');
      const answer = metricsV1.ExportMetricsServiceResponse.toObject(
        metricsV1.ExportMetricsServiceResponse.decode(new Uint8Array(await res.arrayBuffer())),
        { longs: Number },
      ) as { partialSuccess: { rejectedDataPoints: number; errorMessage: string } };
      expect(answer.partialSuccess.rejectedDataPoints).toBe(1);
      expect(answer.partialSuccess.errorMessage).toContain(
        'dataPoints[1].bucketCounts: lat: add up to 6, but count is 2',
      );
    }
  });

  it('answers an empty protobuf body when everything was kept', async () => {
    const res = await post('/v1/metrics', request([point]));
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });

  it('ignores unknown fields, as protobuf intends', async () => {
    // Field 99 (varint 7) appended at the top level of the request.
    const bytes = Buffer.concat([Buffer.from(request([point])), Buffer.from([0x98, 0x06, 0x07])]);
    const res = await post('/v1/metrics', bytes);
    expect(res.status).toBe(200);
  });

  it.each([
    ['truncated', () => request([point]).slice(0, 20)],
    ['garbage', () => Buffer.from('this is not protobuf at all, it is text')],
  ])('a %s body is a 400 problem saying where decoding failed', async (_name, body) => {
    const res = await post('/v1/traces', body());
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await res.json()) as { detail: string };
    expect(problem.detail).toMatch(
      /^body is not a protobuf opentelemetry\.proto\.collector\.trace\.v1\.ExportTraceServiceRequest: at byte \d+ of \d+: /,
    );
  });
});
