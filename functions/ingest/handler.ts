import { DynamoDbTelemetryWriter } from '../adapters/dynamodb-telemetry-writer.js';
import { UnsupportedMediaTypeError } from '../core/errors.js';
import type { FunctionEnv } from '../platform/config.js';
import { type HttpRequest, httpFunction } from '../platform/http-function.js';
import { lambdaHandler } from '../platform/lambda-handler.js';
import { type RuntimeOverrides, runtime } from '../platform/runtime.js';
import { limitsOf } from './config.js';
import { hashBody, idempotencyKeyOf, idempotentRunner } from './idempotency.js';
import { ingestService, type OtlpSignal } from './ingest-service.js';

export function createHandler(env: FunctionEnv, overrides: RuntimeOverrides = {}) {
  const rt = runtime('ingest', env, overrides);
  const config = rt.settings;
  const writer = new DynamoDbTelemetryWriter(rt.db, rt.table('telemetry'), {
    metricsDays: config.metricsRetentionDays,
    logsDays: config.logsRetentionDays,
    spansDays: config.spansRetentionDays,
    errorsDays: config.errorsRetentionDays,
  });
  const service = ingestService({ writer, limits: limitsOf(config), clock: rt.clock, metrics: rt.obs.metrics });
  const idempotent = idempotentRunner<Record<string, unknown>>({
    client: rt.dynamodb,
    table: rt.table('idempotency'),
    ttlSeconds: config.idempotencyTtlSeconds,
  });

  /** Runs once per Idempotency-Key (per token and route) when the header is present. */
  function once(req: HttpRequest, run: () => Promise<Record<string, unknown>>) {
    const key = idempotencyKeyOf(req.headers['idempotency-key']);
    if (!key) return run();
    return idempotent(
      { key: `${req.principal?.id ?? 'anonymous'}:${req.routeKey}:${key}`, bodyHash: hashBody(req.raw) },
      run,
      req.context,
    );
  }

  const otlp = (signal: OtlpSignal) => async (req: HttpRequest) => {
    if (req.contentType === 'application/x-protobuf') {
      throw new UnsupportedMediaTypeError(
        'Vigil accepts OTLP/HTTP as JSON only: set OTEL_EXPORTER_OTLP_PROTOCOL=http/json (the OpenTelemetry JS *-otlp-http exporters send JSON already)',
      );
    }
    return { status: 200, body: await once(req, () => service.otlp(signal, req.body)) };
  };

  return httpFunction({
    name: 'ingest',
    obs: rt.obs,
    auth: rt.auth,
    maxBodyBytes: config.ingestMaxBodyBytes,
    accepts: ['application/json', 'application/x-protobuf'],
    routes: {
      'POST /v1/ingest': async (req) => {
        if (req.contentType !== 'application/json')
          throw new UnsupportedMediaTypeError('send the batch as application/json');
        return { status: 202, body: await once(req, () => service.native(req.body)) };
      },
      'POST /v1/metrics': otlp('metrics'),
      'POST /v1/traces': otlp('traces'),
      'POST /v1/logs': otlp('logs'),
    },
  });
}

export const handler = lambdaHandler(createHandler);
