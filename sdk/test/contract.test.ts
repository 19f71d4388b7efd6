import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyConnectionOptions, resetResource } from '../src/config/resource.js';
import { flush } from '../src/lifecycle/shutdown.js';
import { configureLogging } from '../src/logging/configure.js';
import { logger } from '../src/logging/logger.js';
import { configureMetrics } from '../src/metrics/configure.js';
import { counter, histogram } from '../src/metrics/create.js';
import { setupMonitoring } from '../src/middleware/setup-monitoring.js';
import { configureTracing } from '../src/tracing/configure.js';
import { withSpan } from '../src/tracing/tracer.js';
import { type Recorder, startRecorder } from './helpers/recorder.js';

/**
 * What the SDK sends must pass Vigil's own ingest validation (functions/core/telemetry/validate-batch.ts),
 * item by item, with nothing rejected. Loaded by a computed path so the SDK's compiler config stays
 * within sdk/ (the module is the backend's, not part of the package).
 */
let vigil: Recorder;

beforeAll(async () => {
  vigil = await startRecorder();
  resetResource({});
  applyConnectionOptions(
    {
      endpoint: vigil.url,
      token: 't',
      serviceName: 'checkout',
      environment: 'test',
      version: '1.0.0',
      flushIntervalMs: 60_000,
    },
    {},
  );
  configureLogging({ ship: true, console: false }, {});
  configureMetrics({ backend: 'vigil', prefix: 'shop', defaultTags: { region: 'eu' } }, {});
  configureTracing({ exporter: 'vigil' }, {});
});
afterAll(() => vigil.close());

describe('contract with Vigil ingest', () => {
  it('every item the SDK sends passes the server validation', async () => {
    const app = express();
    setupMonitoring(app, { serviceName: 'checkout' });
    app.get('/cart/:id', (req, res) => {
      const circular: Record<string, unknown> = { a: 1 };
      circular.self = circular;
      logger.warn('odd cart', {
        id: req.params.id,
        circular,
        error: new RangeError('r'),
        list: [1, { x: 2 }],
        big: 10n,
        when: new Date(0),
      });
      res.json({});
    });
    app.get('/boom', () => {
      throw new Error('boom');
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await fetch(`${base}/cart/1`);
    await fetch(`${base}/boom`);
    counter('orders.created').inc(2, { 'weird key!': 'v' });
    histogram('basket.size').observe(3);
    await withSpan('work', async (span) => {
      span.setAttribute('list', ['a', 'b']);
      span.recordException(new TypeError('t'));
    }).catch(() => undefined);
    await flush(3000);
    server.close();

    const path = '../../functions/core/telemetry/validate-batch.js';
    const limitsPath = '../../functions/core/telemetry/limits.js';
    const { validateBatch } = (await import(path)) as {
      validateBatch: (b: unknown, o: unknown) => { rejected: unknown[]; batch: Record<string, unknown[]> };
    };
    const { DEFAULT_LIMITS } = (await import(limitsPath)) as { DEFAULT_LIMITS: unknown };
    const bodies = vigil.requests.filter((r) => r.url === '/v1/ingest').map((r) => r.body);
    expect(bodies.length).toBeGreaterThan(0);
    let kept = 0;
    for (const body of bodies) {
      const result = validateBatch(body, { now: Date.now(), limits: DEFAULT_LIMITS });
      expect(result.rejected).toEqual([]);
      kept += Object.values(result.batch)
        .filter(Array.isArray)
        .reduce((n, list) => n + list.length, 0);
    }
    const kinds = new Set(bodies.flatMap((b) => Object.keys(b)));
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['errors', 'logs', 'metrics', 'spans']));
    expect(kept).toBeGreaterThan(8);
  });
});
