import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { AggregationTemporalityPreference, OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';

let vigil: TestVigil;
let ingest: string;
let read: string;
let traceId: string;

const resource = resourceFromAttributes({
  'service.name': 'otel-shop',
  'service.version': '2.0.0',
  'deployment.environment': 'staging',
});

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
  const root = tracer.startSpan('GET /cart', { kind: SpanKind.SERVER, attributes: { 'http.route': '/cart' } });
  const ctx = trace.setSpan(context.active(), root);
  const child = tracer.startSpan(
    'POST payments',
    { kind: SpanKind.CLIENT, attributes: { 'peer.service': 'payments' } },
    ctx,
  );
  child.recordException(new TypeError('card 4242 declined'));
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'declined' });
  child.end();
  root.end();
  traceId = root.spanContext().traceId;

  const loggerProvider = new LoggerProvider({
    resource,
    processors: [
      // Logs travel gzip-compressed (OTEL_EXPORTER_OTLP_COMPRESSION=gzip), as collectors often send them.
      new SimpleLogRecordProcessor({
        exporter: new OTLPLogExporter({ url: `${vigil.url}/v1/logs`, headers, compression: 'gzip' as never }),
      }),
    ],
  });
  loggerProvider.getLogger('test').emit({
    severityNumber: 17,
    severityText: 'ERROR',
    body: 'payment failed',
    attributes: { orderId: '42' },
    context: ctx,
  });
  loggerProvider.getLogger('test').emit({ severityNumber: 9, body: 'cart viewed', context: ctx });

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
  const counter = meter.createCounter('orders.placed');
  for (let i = 0; i < 7; i++) counter.add(i, { region: 'eu' });
  const histogram = meter.createHistogram('checkout.duration', { unit: 'ms' });
  for (let i = 1; i <= 100; i++) histogram.record(i);

  await Promise.all([tracerProvider.forceFlush(), loggerProvider.forceFlush(), meterProvider.forceFlush()]);
  await Promise.all([tracerProvider.shutdown(), loggerProvider.shutdown(), meterProvider.shutdown()]);
});
afterAll(() => vigil?.close());

describe('OTLP/HTTP JSON from the real OpenTelemetry JS exporters', () => {
  it('returns the spans of a trace, with service, version and kinds mapped', async () => {
    const body = await get<{ spans: Record<string, unknown>[] }>(`/v1/traces/${traceId}`);
    expect(body.spans.map((s) => [s.name, s.kind, s.status, s.service, s.version, s.environment])).toEqual([
      ['GET /cart', 'server', 'unset', 'otel-shop', '2.0.0', 'staging'],
      ['POST payments', 'client', 'error', 'otel-shop', '2.0.0', 'staging'],
    ]);
    const summaries = await get<{ items: { traceId: string; name: string }[] }>(
      '/v1/traces?service=otel-shop&from=-1h',
    );
    expect(summaries.items).toEqual([expect.objectContaining({ traceId, name: 'GET /cart' })]);
    expect((await get<{ items: unknown[] }>('/v1/traces?service=otel-shop&minDurationMs=60000')).items).toEqual([]);
  });

  it('returns logs newest first by service, level and trace id', async () => {
    const all = await get<{ items: { message: string; level: string; traceId: string }[] }>(
      '/v1/logs?service=otel-shop',
    );
    expect(all.items.map((l) => l.message).sort()).toEqual(['cart viewed', 'payment failed']);
    const errors = await get<{ items: { message: string; traceId: string; attributes: Record<string, unknown> }[] }>(
      '/v1/logs?service=otel-shop&level=error',
    );
    expect(errors.items).toHaveLength(1);
    expect(errors.items[0]).toMatchObject({ message: 'payment failed', traceId, attributes: { orderId: '42' } });
    const byTrace = await get<{ items: unknown[] }>(`/v1/logs?traceId=${traceId}&q=PAYMENT`);
    expect(byTrace.items).toHaveLength(1);
  });

  it('turns exception events into error groups', async () => {
    const body = await get<{ items: { type: string; count: number; versions: string[] }[] }>(
      '/v1/errors?service=otel-shop',
    );
    expect(body.items).toEqual([expect.objectContaining({ type: 'TypeError', count: 1, versions: ['2.0.0'] })]);
  });

  it('stores delta metrics: counter sum and histogram percentiles', async () => {
    const sum = await get<{ series: { points: [number, number][] }[] }>(
      '/v1/metrics/query?service=otel-shop&name=orders.placed&stat=sum&step=1h&from=-2h',
    );
    expect(sum.series[0]!.points[0]![1]).toBe(21);
    const p50 = await get<{ series: { points: [number, number][] }[] }>(
      '/v1/metrics/query?service=otel-shop&name=checkout.duration&stat=count&step=1h&from=-2h',
    );
    expect(p50.series[0]!.points[0]![1]).toBe(100);
  });

  it('accepts cumulative sums (stored as deltas, see otlp-cumulative.test.ts) beside gauges', async () => {
    const res = await vigil.request('/v1/metrics', {
      method: 'POST',
      token: ingest,
      json: {
        resourceMetrics: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'cumulative' } }] },
            scopeMetrics: [
              {
                metrics: [
                  {
                    name: 'c',
                    sum: {
                      aggregationTemporality: 2,
                      isMonotonic: true,
                      dataPoints: [{ asInt: '3', startTimeUnixNano: `${Date.now() - 60_000}000000` }],
                    },
                  },
                  { name: 'g', gauge: { dataPoints: [{ asDouble: 1.5 }] } },
                ],
              },
            ],
          },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    const sum = await get<{ series: { points: [number, number][] }[] }>(
      '/v1/metrics/query?service=cumulative&name=c&stat=sum&step=1h&from=-2h',
    );
    expect(sum.series[0]!.points[0]![1]).toBe(3);
  });
});

describe('services and dependencies', () => {
  it('derives the dependency map from client spans', async () => {
    const body = await get<{ nodes: unknown[]; edges: unknown[] }>('/v1/dependencies?from=-1h');
    expect(body.edges).toEqual([
      { source: 'otel-shop', target: 'payments', calls: 1, errors: 1, p95Ms: expect.any(Number) },
    ]);
    expect(body.nodes).toEqual(
      expect.arrayContaining([
        { id: 'payments', kind: 'external' },
        { id: 'otel-shop', kind: 'service' },
      ]),
    );
  });

  it('summarises services from the SDK HTTP metrics, or from server spans', async () => {
    const requests = [
      { status_class: '2xx', value: 90 },
      { status_class: '5xx', value: 10 },
    ].map((r) => ({
      name: 'http.server.requests',
      type: 'counter',
      value: r.value,
      tags: { route: '/x', status_class: r.status_class },
    }));
    const durations = {
      name: 'http.server.duration',
      type: 'histogram',
      unit: 'ms',
      values: Array.from({ length: 100 }, (_, i) => i + 1),
    };
    const res = await vigil.request('/v1/ingest', {
      method: 'POST',
      token: ingest,
      json: { service: 'api', metrics: [...requests, durations] },
    });
    expect(res.status).toBe(202);
    const body = await get<{ items: Record<string, unknown>[] }>('/v1/services');
    const api = body.items.find((s) => s.service === 'api')!;
    expect(api).toMatchObject({ source: 'metrics', requestRate: Number((100 / 900).toFixed(4)), errorRate: 0.1 });
    expect(Math.abs((api.p95LatencyMs as number) - 95) / 95).toBeLessThan(0.02);
    const shop = body.items.find((s) => s.service === 'otel-shop')!;
    expect(shop).toMatchObject({ source: 'spans', errorRate: 0, environments: ['staging'] });
  });
});
