import middy from '@middy/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyConnectionOptions, resetResource } from '../src/config/resource.js';
import { configureLogging } from '../src/logging/configure.js';
import { logger } from '../src/logging/logger.js';
import { configureMetrics } from '../src/metrics/configure.js';
import { vigilMiddleware } from '../src/middleware/middy.js';
import { configureTracing } from '../src/tracing/configure.js';
import { getActiveSpan } from '../src/tracing/tracer.js';
import { ingested, type Recorder, startRecorder } from './helpers/recorder.js';

let vigil: Recorder;
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const context = { awsRequestId: 'aws-req-1', functionName: 'orders-api' } as never;

beforeAll(async () => {
  vigil = await startRecorder();
  resetResource({});
  applyConnectionOptions({ endpoint: vigil.url, token: 't', serviceName: 'orders-api', flushIntervalMs: 60_000 }, {});
  configureLogging({ ship: true, console: false }, {});
  configureMetrics({ backend: 'vigil' }, {});
  configureTracing({ exporter: 'vigil' }, {});
});
afterAll(() => vigil.close());

describe('vigilMiddleware for middy', () => {
  it('traces an API Gateway v2 invocation, records HTTP metrics by route key, and flushes before returning', async () => {
    const handler = middy(async () => {
      logger.info('in handler');
      return { statusCode: 201, body: JSON.stringify({ traceId: getActiveSpan()?.traceId }) };
    }).use(vigilMiddleware());
    const event = {
      routeKey: 'POST /orders/{id}',
      rawPath: '/orders/42',
      headers: { Traceparent: `00-${TRACE}-00f067aa0ba902b7-01` },
      requestContext: { http: { method: 'POST', path: '/orders/42' } },
    };
    const result = (await handler(event, context)) as { statusCode: number; body: string };
    expect(JSON.parse(result.body)).toEqual({ traceId: TRACE });
    // flushed before the handler returned: no explicit flush here
    const metrics = ingested(vigil.requests, 'metrics');
    expect(metrics.find((m) => m.name === 'http.server.requests')).toMatchObject({
      value: 1,
      tags: { method: 'POST', route: '/orders/{id}', status_class: '2xx' },
    });
    const span = ingested(vigil.requests, 'spans').find((s) => s.traceId === TRACE);
    expect(span).toMatchObject({
      name: 'POST /orders/{id}',
      kind: 'server',
      parentSpanId: '00f067aa0ba902b7',
      attributes: { 'faas.invocation_id': 'aws-req-1', 'faas.coldstart': true },
    });
    const log = ingested(vigil.requests, 'logs').find((l) => l.message === 'in handler');
    expect(log).toMatchObject({ traceId: TRACE, attributes: { requestId: 'aws-req-1' } });
  });

  it('records failures of non-HTTP invocations as errors and rethrows', async () => {
    const before = vigil.requests.length;
    const handler = middy(async () => {
      throw new Error('queue message bad');
    }).use(vigilMiddleware());
    await expect(handler({ Records: [] }, context)).rejects.toThrow('queue message bad');
    const fresh = vigil.requests.slice(before);
    expect(ingested(fresh, 'metrics').find((m) => m.name === 'faas.invocations')).toMatchObject({
      value: 1,
      tags: { outcome: 'error' },
    });
    expect(ingested(fresh, 'errors')[0]).toMatchObject({ message: 'queue message bad' });
    expect(ingested(fresh, 'spans')[0]).toMatchObject({ status: 'error', attributes: { 'faas.coldstart': false } });
  });
});
