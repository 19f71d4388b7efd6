import { documentClient, dynamoDbClient } from '../adapters/dynamodb.js';
import { DynamoDbRefusalStore } from '../adapters/dynamodb-refusal-store.js';
import { DynamoDbStreamStore } from '../adapters/dynamodb-stream-store.js';
import { DynamoDbTelemetryWriter } from '../adapters/dynamodb-telemetry-writer.js';
import { PROTOBUF } from '../adapters/otlp-proto/media-type.js';
import { UnsupportedMediaTypeError } from '../core/errors.js';
import { requestBatchId } from '../core/telemetry/write-scope.js';
import type { FunctionEnv } from '../platform/config.js';
import { type HttpRequest, httpFunction } from '../platform/http-function.js';
import { lambdaHandler } from '../platform/lambda-handler.js';
import { type RuntimeOverrides, runtime } from '../platform/runtime.js';
import { limitsOf } from './config.js';
import { hashBody, idempotencyKeyOf, idempotentRunner } from './idempotency.js';
import { type IngestRequest, ingestService, type OtlpSignal } from './ingest-service.js';

/** Time kept back from the invocation's remaining time to answer (and to let the idempotency record be saved). */
const ANSWER_MARGIN_MS = 3_000;
/** Longest wait for one DynamoDB call of the writer before it is abandoned and retried. */
const WRITE_TIMEOUT_MS = 5_000;

export function createHandler(env: FunctionEnv, overrides: RuntimeOverrides = {}) {
  const rt = runtime('ingest', env, overrides);
  const config = rt.settings;
  // Telemetry writes are retried in one place (dynamodb-batch-write.ts), so their client makes one attempt per
  // call and gives up on an answer that takes more than 5 s (a hung connection must not eat the deadline).
  const writerClient = dynamoDbClient({
    ...(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {}),
    maxAttempts: 1,
    requestTimeoutMs: WRITE_TIMEOUT_MS,
  });
  overrides.configureDynamoDb?.(writerClient);
  const writer = new DynamoDbTelemetryWriter(documentClient(writerClient), rt.table('telemetry'), {
    metricsDays: config.metricsRetentionDays,
    logsDays: config.logsRetentionDays,
    spansDays: config.spansRetentionDays,
    errorsDays: config.errorsRetentionDays,
  });
  const streams = new DynamoDbStreamStore(rt.db, rt.table('telemetry'));
  const service = ingestService({
    writer,
    streams,
    refusals: new DynamoDbRefusalStore(rt.db, rt.table('telemetry'), config.metricsRetentionDays),
    warn: (message, fields) => rt.obs.logger.warn(message, fields),
    limits: limitsOf(config),
    clock: rt.clock,
    metrics: rt.obs.metrics,
  });
  const idempotent = idempotentRunner<Record<string, unknown>>({
    client: rt.dynamodb,
    table: rt.table('idempotency'),
    ttlSeconds: config.idempotencyTtlSeconds,
  });

  /**
   * Runs once per Idempotency-Key (per token and route) when the header is present; `run` gets the request's
   * batch id (see `requestBatchId`) and deadline.
   */
  function once(req: HttpRequest, run: (request: IngestRequest) => Promise<Record<string, unknown>>) {
    const key = idempotencyKeyOf(req.headers['idempotency-key']);
    const scoped = `${req.principal?.id ?? 'anonymous'}:${req.routeKey}`;
    const bodyHash = hashBody(req.raw);
    const request: IngestRequest = {
      batchId: requestBatchId(
        key
          ? { idempotencyKey: `${scoped}:${key}` }
          : req.routeKey === 'POST /v1/ingest'
            ? 'fresh'
            : { bodyHash: `${scoped}:${bodyHash}` },
      ),
      deadline: rt.clock() + Math.max(0, req.context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS),
      retrySafe: key !== undefined || req.routeKey !== 'POST /v1/ingest',
    };
    if (!key) return run(request);
    return idempotent({ key: `${scoped}:${key}`, bodyHash }, () => run(request), req.context);
  }

  /** OTLP/HTTP answers in the encoding of the request (JSON or protobuf), as the specification requires. */
  const otlp = (signal: OtlpSignal) => async (req: HttpRequest) => {
    if (req.contentType === PROTOBUF) {
      // Loaded on the first protobuf request: the generated code (about 200 KB) stays off the JSON cold start.
      const { decodeOtlpProtobuf, encodeOtlpProtobuf } = await import('../adapters/otlp-proto/codec.js');
      const body = decodeOtlpProtobuf(signal, req.raw ?? new Uint8Array());
      const answer = await once(req, (request) => service.otlp(signal, body, request));
      return { status: 200, binary: encodeOtlpProtobuf(signal, answer), headers: { 'content-type': PROTOBUF } };
    }
    return { status: 200, body: await once(req, (request) => service.otlp(signal, req.body, request)) };
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
        return { status: 202, body: await once(req, (request) => service.native(req.body, request)) };
      },
      'POST /v1/metrics': otlp('metrics'),
      'POST /v1/traces': otlp('traces'),
      'POST /v1/logs': otlp('logs'),
    },
  });
}

export const handler = lambdaHandler(createHandler);
