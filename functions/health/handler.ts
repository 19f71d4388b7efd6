import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { type HealthCheckResult, healthHttpStatus, healthReport } from '../core/health-report.js';
import type { FunctionEnv } from '../platform/config.js';
import { httpFunction } from '../platform/http-function.js';
import { lambdaHandler } from '../platform/lambda-handler.js';
import { type Runtime, type RuntimeOverrides, runtime } from '../platform/runtime.js';

/** A read slower than this is reported as `warn`. */
const SLOW_MS = 1_000;

async function checkTable(rt: Runtime<'health'>, tokensTable: string): Promise<HealthCheckResult> {
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

export function createHandler(env: FunctionEnv, overrides: RuntimeOverrides = {}) {
  const rt = runtime('health', env, overrides);
  const tokensTable = rt.table('tokens');
  return httpFunction({
    name: 'health',
    obs: rt.obs,
    maxBodyBytes: rt.settings.maxBodyBytes,
    routes: {
      'GET /health': async () => {
        const report = healthReport(
          { serviceId: 'vigil', description: `Vigil (${rt.settings.stage})`, version: rt.settings.version },
          { 'dynamodb:responseTime': [await checkTable(rt, tokensTable)] },
        );
        return {
          status: healthHttpStatus(report.status),
          text: JSON.stringify(report),
          headers: { 'content-type': 'application/health+json', 'cache-control': 'no-store' },
        };
      },
    },
  });
}

export const handler = lambdaHandler(createHandler);
