/**
 * A small Express service sending metrics, logs, traces and errors to a local Vigil.
 *
 *   npm start                                   # in the Vigil repo: prints the URL and an admin token
 *   export VIGIL_TOKEN=<ingest token>           # see sdk/README.md, "Quick start"
 *   npx tsx sdk/examples/express-service.ts     # then: curl http://127.0.0.1:3000/cart/42
 *
 * In your own service, import from '@vigil/sdk' instead of '../src/index.js'.
 */
import express from 'express';
import {
  configureLogging,
  configureMetrics,
  configureTracing,
  counter,
  logger,
  registerHealthCheck,
  setupMonitoring,
  tracedFetch,
  vigilErrorHandler,
  withSpan,
} from '../src/index.js';

const common = { serviceName: 'checkout', environment: 'dev', version: '0.1.0' } as const;
configureLogging({ ...common, level: 'info', ship: true });
configureMetrics({ ...common, backend: 'vigil' });
configureTracing({ ...common, sampleRate: 1, exporter: 'vigil' });

const app = express();
setupMonitoring(app, { serviceName: 'checkout' });
registerHealthCheck(
  'memory',
  () => ({ measurement: 'heapUsed', observedValue: process.memoryUsage().heapUsed, observedUnit: 'bytes' }),
  {
    componentType: 'system',
  },
);

const cartViews = counter('cart.views', { description: 'Carts viewed' });

app.get('/cart/:id', async (req, res) => {
  cartViews.labels({ source: 'web' }).inc();
  const total = await withSpan('price cart', async (span) => {
    span.setAttribute('cart.id', req.params.id);
    return 42.5;
  });
  logger.info('cart viewed', { cartId: req.params.id, total });
  res.json({ id: req.params.id, total });
});

app.get('/downstream', async (_req, res) => {
  // traceparent is injected, so the downstream service continues this trace
  const answer = await tracedFetch('http://127.0.0.1:3000/cart/7');
  res.status(answer.status).json(await answer.json());
});

app.get('/fail', () => {
  throw new TypeError('x is undefined');
});

app.use(vigilErrorHandler());

const port = Number(process.env.PORT ?? 3000);
app.listen(port, '127.0.0.1', () => logger.info(`listening on http://127.0.0.1:${port}`));
