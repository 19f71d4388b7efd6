import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import { configureMetrics } from '../src/metrics/configure.js';
import { counter, histogram } from '../src/metrics/create.js';
import { setupMonitoring } from '../src/middleware/setup-monitoring.js';

/**
 * The oracle for the exposition format: `promtool check metrics` (Debian package `prometheus`) on what an
 * Express app with the default metrics and a custom histogram serves at /metrics. CI installs promtool; where
 * it is absent the test is skipped with the reason in its title.
 */
const PROMTOOL = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => existsSync(p));

afterAll(() => configureMetrics({ backend: 'vigil' }, {}));

describe.skipIf(!PROMTOOL)(
  `promtool check metrics${PROMTOOL ? '' : ' (skipped: promtool is not installed; apt-get install prometheus)'}`,
  () => {
    it('reports nothing on /metrics of an Express app', async () => {
      configureMetrics({ backend: 'prometheus' }, {});
      const app = express();
      setupMonitoring(app, { serviceName: 'checkout' });
      const basket = histogram('checkout.basket.size', { description: 'Items per basket', buckets: [1, 5, 20] });
      counter('checkout.never.used', { description: 'Registered, never incremented' });
      app.get('/items/:id', (_req, res) => {
        basket.observe(3);
        res.send('ok');
      });
      app.get('/boom', () => {
        throw new Error('boom');
      });
      const s = app.listen(0, '127.0.0.1');
      await new Promise((r) => s.once('listening', r));
      const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
      try {
        for (const path of ['/items/1', '/items/2', '/boom', '/missing']) await fetch(`${url}${path}`);
        const text = await (await fetch(`${url}/metrics`)).text();
        expect(text).toContain('http_server_duration_seconds_bucket');
        expect(text).toContain('checkout_basket_size_bucket');
        expect(text).not.toContain('never_used');
        const check = spawnSync(PROMTOOL!, ['check', 'metrics'], { input: text, encoding: 'utf8' });
        expect({ status: check.status, stdout: check.stdout, stderr: check.stderr }).toEqual({
          status: 0,
          stdout: '',
          stderr: '',
        });
      } finally {
        s.close();
      }
    });
  },
);
