import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyConnectionOptions, resetResource } from '../src/config/resource.js';
import { flush } from '../src/lifecycle/shutdown.js';
import { configureLogging } from '../src/logging/configure.js';
import { logger } from '../src/logging/logger.js';
import { configureMetrics } from '../src/metrics/configure.js';
import { setupMonitoring } from '../src/middleware/setup-monitoring.js';
import { configureTracing } from '../src/tracing/configure.js';
import { getActiveSpan } from '../src/tracing/tracer.js';
import { parsePrometheus } from './helpers/prometheus-parser.js';
import { ingested, type Recorder, startRecorder } from './helpers/recorder.js';

let vigil: Recorder;
const app = Fastify();
let base = '';
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

beforeAll(async () => {
  vigil = await startRecorder();
  resetResource({});
  applyConnectionOptions({ endpoint: vigil.url, token: 't', serviceName: 'orders', flushIntervalMs: 60_000 }, {});
  configureLogging({ ship: true, console: false }, {});
  configureMetrics({ backend: 'prometheus' }, {});
  configureTracing({ exporter: 'vigil' }, {});
  setupMonitoring(app, { serviceName: 'orders' });
  app.get('/orders/:id', async (req) => {
    await new Promise((r) => setTimeout(r, 2));
    logger.info('order read', { id: (req.params as { id: string }).id });
    return { spanSeen: getActiveSpan()?.traceId ?? null };
  });
  app.post('/orders', async (req) => {
    logger.info('order created');
    return { spanSeen: getActiveSpan()?.traceId ?? null, body: req.body };
  });
  app.get('/fail', async () => {
    throw new Error('fastify boom');
  });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app.close();
  await vigil.close();
});

describe('setupMonitoring with Fastify', () => {
  it('keeps the span active in handlers (GET and POST with a body) and tags by route template', async () => {
    const tp = { traceparent: `00-${TRACE}-00f067aa0ba902b7-01` };
    expect(await (await fetch(`${base}/orders/7`, { headers: tp })).json()).toEqual({ spanSeen: TRACE });
    const post = await fetch(`${base}/orders`, {
      method: 'POST',
      headers: { ...tp, 'content-type': 'application/json' },
      body: JSON.stringify({ a: 1 }),
    });
    expect(await post.json()).toEqual({ spanSeen: TRACE, body: { a: 1 } });
    expect((await fetch(`${base}/fail`)).status).toBe(500);
    await fetch(`${base}/missing/path`);

    const families = parsePrometheus(await (await fetch(`${base}/metrics`)).text());
    const samples = families
      .get('http_server_requests_total')!
      .samples.map((s) => `${s.labels.method} ${s.labels.route} ${s.labels.status_class}=${s.value}`);
    expect(samples.sort()).toEqual([
      'GET /fail 5xx=1',
      'GET /orders/:id 2xx=1',
      'GET unmatched 4xx=1',
      'POST /orders 2xx=1',
    ]);

    await flush(2000);
    const spans = ingested(vigil.requests, 'spans');
    expect(
      spans
        .filter((s) => s.traceId === TRACE)
        .map((s) => s.name)
        .sort(),
    ).toEqual(['GET /orders/:id', 'POST /orders']);
    expect(spans.find((s) => s.name === 'GET /fail')).toMatchObject({ status: 'error' });
    expect(ingested(vigil.requests, 'errors').map((e) => e.message)).toContain('fastify boom');
    const logs = ingested(vigil.requests, 'logs');
    expect(logs.find((l) => l.message === 'order created')?.traceId).toBe(TRACE);
  });

  it('mounts /health', async () => {
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/health\+json(;|$)/);
    expect(((await res.json()) as { status: string }).status).toBe('pass');
  });
});
