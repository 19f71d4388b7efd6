import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyConnectionOptions, resetResource } from '../src/config/resource.js';
import { registerHealthCheck } from '../src/health/registry.js';
import { flush } from '../src/lifecycle/shutdown.js';
import { configureLogging } from '../src/logging/configure.js';
import { logger } from '../src/logging/logger.js';
import { logState } from '../src/logging/state.js';
import { configureMetrics } from '../src/metrics/configure.js';
import { vigilErrorHandler } from '../src/middleware/express.js';
import { setupMonitoring } from '../src/middleware/setup-monitoring.js';
import { configureTracing } from '../src/tracing/configure.js';
import { tracedFetch } from '../src/tracing/fetch.js';
import { parsePrometheus } from './helpers/prometheus-parser.js';
import { ingested, type Recorder, startRecorder } from './helpers/recorder.js';

let vigil: Recorder;
let server: Server;
let base: string;
const lines: string[] = [];
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

beforeAll(async () => {
  vigil = await startRecorder();
  resetResource({});
  applyConnectionOptions(
    {
      endpoint: vigil.url,
      token: 'ingest-token',
      serviceName: 'checkout',
      environment: 'test',
      flushIntervalMs: 60_000,
    },
    {},
  );
  configureLogging({ level: 'info', ship: true }, {});
  configureMetrics({ backend: 'vigil' }, {});
  configureTracing({ exporter: 'vigil', sampleRate: 1 }, {});
  logState.write = (line) => lines.push(line);
  const app = express();
  setupMonitoring(app, { serviceName: 'checkout' });
  registerHealthCheck('database', () => ({ measurement: 'connections', observedValue: 3 }), {
    componentType: 'datastore',
  });
  app.get('/cart/:id', async (req, res) => {
    await new Promise((r) => setTimeout(r, 5));
    logger.info('cart viewed', { cartId: req.params.id });
    await tracedFetch(`${vigil.url}/downstream`);
    res.json({ id: req.params.id });
  });
  const router = express.Router();
  router.get('/orders/:orderId', (_req, res) => {
    res.status(201).send('created');
  });
  app.use('/api', router);
  app.get('/boom', () => {
    throw new Error('handler exploded');
  });
  app.use(vigilErrorHandler());
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.close();
  await vigil.close();
});

describe('setupMonitoring with Express', () => {
  it('records metrics by route template, logs with trace context, and continues the incoming trace', async () => {
    const res = await fetch(`${base}/cart/123?x=1`, {
      headers: { traceparent: `00-${TRACE}-00f067aa0ba902b7-01`, 'x-request-id': 'req-abc' },
    });
    expect(res.status).toBe(200);
    await fetch(`${base}/cart/456`);
    await fetch(`${base}/api/orders/9`);
    await fetch(`${base}/nowhere/at/all`);
    expect((await fetch(`${base}/boom`)).status).toBe(500);
    await flush(3000);

    const metrics = ingested(vigil.requests, 'metrics');
    const requests = metrics.filter((m) => m.name === 'http.server.requests');
    const byRoute = Object.fromEntries(
      requests.map((m) => [`${m.tags.method} ${m.tags.route} ${m.tags.status_class}`, m.value]),
    );
    expect(byRoute).toEqual({
      'GET /cart/:id 2xx': 2,
      'GET /api/orders/:orderId 2xx': 1,
      'GET unmatched 4xx': 1,
      'GET /boom 5xx': 1,
    });
    expect(JSON.stringify(metrics)).not.toContain('/cart/123');
    const duration = metrics.find((m) => m.name === 'http.server.duration' && m.tags.route === '/cart/:id');
    expect(duration).toMatchObject({ type: 'histogram', unit: 'ms' });
    expect(duration.values).toHaveLength(2);
    expect(Math.min(...duration.values)).toBeGreaterThanOrEqual(4);

    const spans = ingested(vigil.requests, 'spans');
    const server1 = spans.find((s) => s.kind === 'server' && s.traceId === TRACE);
    expect(server1).toMatchObject({
      name: 'GET /cart/:id',
      parentSpanId: '00f067aa0ba902b7',
      attributes: { 'http.route': '/cart/:id', 'http.response.status_code': 200 },
    });
    const client = spans.find((s) => s.kind === 'client' && s.traceId === TRACE);
    expect(client.parentSpanId).toBe(server1.spanId);
    const downstream = vigil.requests.find((r) => r.url === '/downstream')!;
    expect(downstream.headers.traceparent).toBe(`00-${TRACE}-${client.spanId}-01`);
    expect(spans.find((s) => s.name === 'GET /boom')).toMatchObject({ status: 'error' });
    expect(ingested(vigil.requests, 'errors')).toContainEqual(
      expect.objectContaining({ type: 'Error', message: 'handler exploded' }),
    );

    const logs = ingested(vigil.requests, 'logs');
    const viewed = logs.find((l) => l.message === 'cart viewed' && l.traceId === TRACE);
    expect(viewed).toMatchObject({ spanId: server1.spanId, attributes: { cartId: '123', requestId: 'req-abc' } });
    const access = logs.filter((l) => l.message === 'request completed');
    expect(access).toHaveLength(5);
    expect(access[0]).toMatchObject({
      level: 'info',
      traceId: TRACE,
      attributes: {
        'http.method': 'GET',
        'http.route': '/cart/:id',
        'url.path': '/cart/123',
        'http.status_code': 200,
        component: 'http',
      },
    });
    expect(access.find((l) => l.attributes['http.status_code'] === 500)?.level).toBe('error');
    expect(lines.some((l) => JSON.parse(l).message === 'request completed')).toBe(true);
    expect(
      vigil.requests
        .filter((r) => r.url === '/v1/ingest')
        .every((r) => r.headers.authorization === 'Bearer ingest-token'),
    ).toBe(true);
  });

  it('mounts /health answering application/health+json, unmeasured', async () => {
    const before = vigil.requests.length;
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/health+json');
    const body = await res.json();
    expect(body).toMatchObject({
      status: 'pass',
      serviceId: 'checkout',
      checks: { 'database:connections': [{ componentType: 'datastore', observedValue: 3, status: 'pass' }] },
    });
    await flush(2000);
    const after = ingested(vigil.requests.slice(before), 'metrics').filter((m) => m.name === 'http.server.requests');
    expect(after).toEqual([]);
  });

  it('uses the server span id as request id when the caller sent no x-request-id', async () => {
    lines.length = 0;
    await fetch(`${base}/cart/789`);
    await flush(2000);
    const access = lines.map((l) => JSON.parse(l)).find((l) => l['url.path'] === '/cart/789');
    expect(access.requestId).toMatch(/^[0-9a-f]{16}$/);
    expect(access.requestId).toBe(access.spanId);
  });

  it('answers /health before the app’s own middleware, and the app still sees every other request', async () => {
    const app = express();
    setupMonitoring(app, { serviceName: 'checkout' });
    app.use((_req, res) => {
      res.status(401).send('auth required'); // an auth wall in front of everything
    });
    const s = app.listen(0, '127.0.0.1');
    await new Promise((r) => s.once('listening', r));
    const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    try {
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      expect(health.headers.get('content-type')).toBe('application/health+json');
      expect((await fetch(`${url}/health`, { method: 'POST' })).status).toBe(401);
      expect((await fetch(`${url}/cart/1`)).status).toBe(401);
    } finally {
      s.close();
    }
  });

  it('instruments an app once even when setupMonitoring is called twice', async () => {
    const app = express();
    setupMonitoring(app, { serviceName: 'checkout' });
    setupMonitoring(app, { serviceName: 'checkout' });
    app.get('/twice/:id', (_req, res) => {
      res.send('ok');
    });
    const s = app.listen(0, '127.0.0.1');
    await new Promise((r) => s.once('listening', r));
    try {
      lines.length = 0;
      await fetch(`http://127.0.0.1:${(s.address() as AddressInfo).port}/twice/1`);
      await flush(2000);
      const access = lines.map((l) => JSON.parse(l)).filter((l) => l['http.route'] === '/twice/:id');
      expect(access).toHaveLength(1);
    } finally {
      s.close();
    }
  });

  it('serves /metrics in Prometheus text format with the prometheus backend', async () => {
    configureMetrics({ backend: 'prometheus' }, {});
    const app = express();
    setupMonitoring(app, { serviceName: 'checkout' });
    app.get('/items/:id', (_req, res) => {
      res.send('ok');
    });
    const s = app.listen(0, '127.0.0.1');
    await new Promise((r) => s.once('listening', r));
    const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    await fetch(`${url}/items/1`);
    await fetch(`${url}/items/2`);
    const res = await fetch(`${url}/metrics`);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const families = parsePrometheus(await res.text());
    const total = families.get('http_server_requests_total')!.samples.find((x) => x.labels.route === '/items/:id');
    expect(total).toMatchObject({ labels: { method: 'GET', route: '/items/:id', status_class: '2xx' }, value: 2 });
    expect(families.get('http_server_duration_seconds')!.type).toBe('histogram');
    s.close();
    configureMetrics({ backend: 'vigil' }, {});
  });
});

describe('access log number formatting', () => {
  it('millisJson is the duration rounded to microseconds, as a JSON number', async () => {
    const { millisJson } = await import('../src/middleware/http-telemetry.js');
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e7, noNaN: true }), (ms) => {
        expect(JSON.parse(millisJson(ms))).toBeCloseTo(Math.round(ms * 1000) / 1000, 9);
      }),
      { numRuns: 2000 },
    );
    expect(millisJson(1.5)).toBe('1.500');
    expect(millisJson(0.0004)).toBe('0.000');
    expect(JSON.parse(millisJson(Number.NaN))).toBeNull();
  });
});
