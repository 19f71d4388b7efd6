import { DynamoDbTelemetryWriter } from '../adapters/dynamodb-telemetry-writer.js';
import { UnsupportedMediaTypeError } from '../core/errors.js';
import { tableName } from '../platform/config.js';
import { type HttpRequest, httpFunction } from '../platform/http-function.js';
import { runtime } from '../platform/runtime.js';
import { ingestConfig, limitsOf } from './config.js';
import { hashBody, idempotencyKeyOf, idempotentRunner } from './idempotency.js';
import { ingestService, type OtlpSignal } from './ingest-service.js';

const rt = runtime('ingest');
const config = ingestConfig(rt.env);
const writer = new DynamoDbTelemetryWriter(rt.db, tableName('telemetry', rt.env), {
  metricsDays: config.VIGIL_RETENTION_METRICS_DAYS,
  logsDays: config.VIGIL_RETENTION_LOGS_DAYS,
  spansDays: config.VIGIL_RETENTION_SPANS_DAYS,
  errorsDays: config.VIGIL_RETENTION_ERRORS_DAYS,
});
const service = ingestService({ writer, limits: limitsOf(config), clock: rt.clock, metrics: rt.obs.metrics });
const idempotent = idempotentRunner<Record<string, unknown>>({
  client: rt.dynamodb,
  table: tableName('idempotency', rt.env),
  ttlSeconds: config.VIGIL_IDEMPOTENCY_TTL_SECONDS,
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

export const handler = httpFunction({
  name: 'ingest',
  obs: rt.obs,
  auth: rt.auth,
  maxBodyBytes: config.VIGIL_INGEST_MAX_BODY_BYTES,
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
