import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  configureLogging,
  configureMetrics,
  configureTracing,
  flush,
  logger,
  setupMonitoring,
  shutdown,
  vigilErrorHandler,
  withSpan,
} from '../../sdk/src/index.js';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';

/** The SDK in a real Express app, sending to a real local Vigil; everything read back through the query API. */
let vigil: TestVigil;
let read: string;
let server: Server;
let app: string;

beforeAll(async () => {
  vigil = await startTestVigil();
  const [ingest, r] = await Promise.all([vigil.mintToken(['ingest']), vigil.mintToken(['read'])]);
  read = r;
  const common = { serviceName: 'sdk-shop', environment: 'test', version: '3.1.0', endpoint: vigil.url, token: ingest };
  configureLogging({ ...common, level: 'info', console: false, ship: true });
  configureMetrics({ ...common, backend: 'vigil', flushIntervalMs: 60_000 });
  configureTracing({ ...common, sampleRate: 1, exporter: 'vigil' });
  const ex = express();
  setupMonitoring(ex, { serviceName: 'sdk-shop' });
  ex.get('/cart/:id', async (req, res) => {
    const total = await withSpan('price cart', async () => 42.5);
    logger.info('cart viewed', { cartId: req.params.id, total });
    res.json({ id: req.params.id, total });
  });
  ex.get('/boom', () => {
    throw new TypeError('x is undefined');
  });
  ex.use(vigilErrorHandler());
  server = ex.listen(0, '127.0.0.1');
  await once(server, 'listening');
  app = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await shutdown(2_000);
  server?.close();
  await vigil?.close();
});

async function query<T>(path: string): Promise<T> {
  const res = await vigil.request(path, { token: read });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

describe('SDK → local Vigil → query API', () => {
  it('shows an Express app’s requests as metrics, logs and traces', async () => {
    for (let i = 0; i < 12; i++) expect((await fetch(`${app}/cart/${i}`)).status).toBe(200);
    expect((await fetch(`${app}/boom`)).status).toBe(500);
    await flush(5_000);

    const count = await query<{ series: { tags: Record<string, string>; points: [number, number][] }[] }>(
      '/v1/metrics/query?service=sdk-shop&name=http.server.requests&stat=sum&from=-10m&groupBy=status_class',
    );
    const byClass = Object.fromEntries(
      count.series.map((s) => [s.tags.status_class, s.points.reduce((sum, [, v]) => sum + v, 0)]),
    );
    expect(byClass).toMatchObject({ '2xx': 12, '5xx': 1 });

    const latency = await query<{ series: { points: [number, number][] }[] }>(
      '/v1/metrics/query?service=sdk-shop&name=http.server.duration&stat=count&from=-10m',
    );
    expect(latency.series[0]!.points.reduce((s, [, v]) => s + v, 0)).toBe(13);

    const logs = await query<{ items: { message: string; traceId?: string; attributes: Record<string, unknown> }[] }>(
      '/v1/logs?service=sdk-shop&q=cart%20viewed&from=-10m',
    );
    expect(logs.items).toHaveLength(12);
    const traced = logs.items[0]!;
    expect(traced.traceId).toMatch(/^[0-9a-f]{32}$/);

    const trace = await query<{ spans: { name: string; kind: string; parentSpanId?: string }[] }>(
      `/v1/traces/${traced.traceId}`,
    );
    const kinds = trace.spans.map((s) => `${s.kind}:${s.name}`);
    expect(kinds).toEqual(expect.arrayContaining(['server:GET /cart/:id', 'internal:price cart']));

    const errors = await query<{ items: { type: string; count: number }[] }>('/v1/errors?service=sdk-shop&from=-10m');
    expect(errors.items.map((e) => e.type)).toContain('TypeError');
  });

  it('answers /health with health+json', async () => {
    const res = await fetch(`${app}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/health+json');
    expect(((await res.json()) as { status: string }).status).toBe('pass');
  });
});
