import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { type HealthCheckResult, healthHttpStatus, healthReport } from '../core/health-report.js';
import { tableName } from '../platform/config.js';
import { httpFunction } from '../platform/http-function.js';
import { runtime } from '../platform/runtime.js';

const rt = runtime('health');
const tokensTable = tableName('tokens', rt.env);
/** A read slower than this is reported as `warn`. */
const SLOW_MS = 1_000;

async function checkTable(): Promise<HealthCheckResult> {
  const started = performance.now();
  const time = new Date(rt.clock()).toISOString();
  try {
    await rt.db.send(new GetCommand({ TableName: tokensTable, Key: { id: '__health__' } }));
    const ms = Math.round(performance.now() - started);
    return {
      componentId: tokensTable,
      componentType: 'datastore',
      observedValue: ms,
      observedUnit: 'ms',
      status: ms > SLOW_MS ? 'warn' : 'pass',
      time,
      ...(ms > SLOW_MS ? { output: `read took ${ms} ms (over ${SLOW_MS} ms)` } : {}),
    };
  } catch (error) {
    return {
      componentId: tokensTable,
      componentType: 'datastore',
      status: 'fail',
      time,
      output: (error as Error).message,
    };
  }
}

export const handler = httpFunction({
  name: 'health',
  obs: rt.obs,
  maxBodyBytes: rt.config.VIGIL_MAX_BODY_BYTES,
  routes: {
    'GET /health': async () => {
      const report = healthReport(
        { serviceId: 'vigil', description: `Vigil (${rt.config.VIGIL_STAGE})`, version: rt.config.VIGIL_VERSION },
        { 'dynamodb:responseTime': [await checkTable()] },
      );
      return {
        status: healthHttpStatus(report.status),
        text: JSON.stringify(report),
        headers: { 'content-type': 'application/health+json', 'cache-control': 'no-store' },
      };
    },
  },
});
