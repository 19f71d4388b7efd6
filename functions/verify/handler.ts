import { randomUUID } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import * as v from 'valibot';
import { DynamoDbVerificationStore } from '../adapters/dynamodb-verification-store.js';
import { SqsStepQueue } from '../adapters/sqs-step-queue.js';
import { ConflictError, NotFoundError, ValidationError } from '../core/errors.js';
import { parse } from '../core/validate.js';
import type { StepQueue } from '../core/verification/ports.js';
import { verificationRequestSchema } from '../core/verification/request-schema.js';
import { abortRunning, startVerification } from '../core/verification/run-step.js';
import { verificationView } from '../core/verification/view.js';
import type { FunctionEnv } from '../platform/config.js';
import { httpFunction } from '../platform/http-function.js';
import { lambdaHandler } from '../platform/lambda-handler.js';
import { type RuntimeOverrides, runtime } from '../platform/runtime.js';

/**
 * The verification API (scope `verify`). `POST` stores the verification and queues its first step, and
 * answers 202 at once: the checks run in the worker (functions/verify-worker), step by step, for up to an hour.
 */
export interface VerifyOverrides extends RuntimeOverrides {
  /** Local mode's in-process step queue (AWS: SQS, from `VIGIL_VERIFY_QUEUE_URL`). */
  readonly stepQueue?: StepQueue;
}

const ID = /^[0-9a-f-]{36}$/;

const ListQuery = v.strictObject(
  {
    service: v.optional(v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(128))),
    environment: v.optional(v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(128))),
    limit: v.optional(
      v.pipe(
        v.string(),
        v.regex(/^\d+$/, 'must be a whole number'),
        v.transform(Number),
        v.minValue(1, 'must be at least 1'),
        v.maxValue(100, 'must be at most 100'),
      ),
      '20',
    ),
    cursor: v.optional(v.pipe(v.string(), v.maxLength(2_048))),
  },
  (i) => (i.expected === 'never' ? 'unknown query parameter' : 'must be an object'),
);

const AbortBody = v.strictObject(
  {
    by: v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty'), v.maxLength(200)),
    reason: v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty'), v.maxLength(1_000)),
  },
  (i) => (i.expected === 'never' ? 'unknown field' : 'must be an object'),
);

export function stepQueueOf(queueUrl: string | undefined, override: StepQueue | undefined): StepQueue {
  if (override) return override;
  if (!queueUrl) throw new Error('VIGIL_VERIFY_QUEUE_URL is not set and no local step queue was given');
  return new SqsStepQueue(new SQSClient({}), queueUrl);
}

/** How far back a running verification can have started: the one-hour maximum, its last step and slack. */
const RUNNING_LOOKBACK_MS = 2 * 3_600_000;

export function createHandler(env: FunctionEnv, overrides: VerifyOverrides = {}) {
  const rt = runtime('verify', env, overrides);
  const { settings } = rt;
  const store = new DynamoDbVerificationStore(
    rt.db,
    rt.table('deployments'),
    settings.verifyRetentionDays,
    rt.clock,
    rt.cursors,
  );
  const queue = stepQueueOf(settings.verifyQueueUrl, overrides.stepQueue);
  const schema = verificationRequestSchema(settings.verifyMinIntervalSeconds);
  const minIntervalMs = settings.verifyMinIntervalSeconds * 1_000;
  const deps = { store, queue, now: rt.clock, options: { minIntervalMs } };

  async function existing(id: string) {
    const record = ID.test(id) ? await store.get(id) : undefined;
    if (!record) throw new NotFoundError(`no verification with id ${id}`);
    return record;
  }

  return httpFunction({
    name: 'verify',
    obs: rt.obs,
    auth: rt.auth,
    maxBodyBytes: settings.maxBodyBytes,
    routes: {
      'POST /v1/verifications': async (req) => {
        const request = parse(schema, req.body ?? {});
        if (request.rollback.webhook && !settings.verifyWebhookSecret) {
          throw new ValidationError([
            {
              path: 'rollback.webhook',
              message: 'this deployment has no VIGIL_VERIFY_WEBHOOK_SECRET, so a webhook could not be signed',
            },
          ]);
        }
        // A verification runs at most an hour (plus its last minute), so older records are not running.
        const running = await store.running(request.service, rt.clock() - RUNNING_LOOKBACK_MS);
        if (running.length >= settings.verifyMaxRunning) {
          throw new ConflictError(
            `service: ${running.length} verifications of ${request.service} are running, the most at once (VIGIL_VERIFY_MAX_RUNNING is ${settings.verifyMaxRunning}); wait for one to end or abort one`,
          );
        }
        const record = await startVerification(randomUUID(), request, deps);
        req.logger.info('verification started', {
          verificationId: record.id,
          service: request.service,
          by: req.principal?.id,
        });
        const statusUrl = `/v1/verifications/${record.id}`;
        return { status: 202, body: { id: record.id, status: 'running', statusUrl }, headers: { location: statusUrl } };
      },
      'GET /v1/verifications': async (req) => {
        const q = parse(ListQuery, req.query, 'query');
        const page = await store.list({
          limit: q.limit,
          ...(q.service ? { service: q.service } : {}),
          ...(q.environment ? { environment: q.environment } : {}),
          ...(q.cursor ? { cursor: q.cursor } : {}),
        });
        return {
          status: 200,
          body: {
            items: page.items.map(verificationView),
            ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
          },
        };
      },
      'GET /v1/verifications/{id}': async (req) => ({
        status: 200,
        body: verificationView(await existing(req.params.id ?? '')),
      }),
      'POST /v1/verifications/{id}/abort': async (req) => {
        const { by, reason } = parse(AbortBody, req.body ?? {});
        const id = (await existing(req.params.id ?? '')).id;
        const record = await abortRunning(id, by, reason, deps);
        req.logger.info('verification aborted', { verificationId: id, by, principal: req.principal?.id });
        return { status: 200, body: verificationView(record) };
      },
    },
  });
}

export const handler = lambdaHandler(createHandler);
