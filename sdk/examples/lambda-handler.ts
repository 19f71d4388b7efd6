/**
 * A Lambda handler behind API Gateway (HTTP API), instrumented with middy.
 * Locally: `npx tsx sdk/examples/lambda-handler.ts` invokes it once with a sample event and
 * sends the invocation's metrics, logs and span to the Vigil at VIGIL_ENDPOINT (default http://127.0.0.1:4318).
 * In Lambda, use `backend: 'emf'` to publish metrics through CloudWatch Logs without any API call.
 */
import middy from '@middy/core';
import {
  configureLogging,
  configureMetrics,
  configureTracing,
  histogram,
  logger,
  vigilMiddleware,
} from '../src/index.js';

configureLogging({ serviceName: 'orders-api', ship: true });
configureMetrics({ backend: process.env.AWS_LAMBDA_FUNCTION_NAME ? 'emf' : 'vigil', prefix: 'orders' });
configureTracing({ sampleRate: 1 });

const orderValue = histogram('order.value', { unit: 'EUR' });

interface ApiEvent {
  readonly body?: string;
  readonly pathParameters?: Record<string, string>;
}

export const handler = middy(async (event: ApiEvent) => {
  const order = JSON.parse(event.body ?? '{}') as { total?: number };
  orderValue.observe(order.total ?? 0);
  logger.info('order accepted', { orderId: event.pathParameters?.id });
  return { statusCode: 201, body: JSON.stringify({ ok: true }) };
}).use(vigilMiddleware({ flushTimeoutMs: 2000 }));

if (import.meta.url === `file://${process.argv[1]}`) {
  const event = {
    routeKey: 'POST /orders/{id}',
    rawPath: '/orders/42',
    headers: { 'content-type': 'application/json' },
    requestContext: { http: { method: 'POST', path: '/orders/42' } },
    pathParameters: { id: '42' },
    body: JSON.stringify({ total: 99.5 }),
  };
  const result = await handler(event, { awsRequestId: 'local-1', functionName: 'orders-api' } as never);
  console.log(result);
}
