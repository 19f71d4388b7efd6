import * as v from 'valibot';
import { DynamoDbOutboxStore } from '../adapters/dynamodb-outbox-store.js';
import { TOPIC_NAMES } from '../catalog/topics.js';
import type { OutboxRecord } from '../core/alerting/model.js';
import { parse } from '../core/validate.js';
import type { FunctionEnv } from '../platform/config.js';
import { httpFunction } from '../platform/http-function.js';
import { lambdaHandler } from '../platform/lambda-handler.js';
import { type RuntimeOverrides, runtime } from '../platform/runtime.js';

const QuerySchema = v.object({
  limit: v.optional(
    v.pipe(v.string(), v.transform(Number), v.number('must be a number'), v.integer(), v.minValue(1), v.maxValue(200)),
    '50',
  ),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(2_000, 'must be at most 2000 characters'))),
  topic: v.optional(v.picklist(TOPIC_NAMES, `must be one of: ${TOPIC_NAMES.join(', ')}`)),
});

/**
 * One entry of the notification log: the outbox record (every stage's decision, attempts, status), with
 * `at` (created), `reason` (the decision that ended the pipeline, or the last one) and `delivery`.
 */
export function notificationView(r: OutboxRecord) {
  return {
    ...r,
    // Always present, so a client reads `null` rather than a missing field.
    lastError: r.lastError ?? null,
    sentAt: r.sentAt ?? null,
    nextAttemptAt: r.nextAttemptAt ?? null,
    at: r.createdAt,
    reason: r.decisions.at(-1) ?? null,
    delivery: {
      ok: r.status === 'sent',
      status: r.status,
      attempts: r.attempts,
      ...(r.lastError ? { error: r.lastError } : {}),
      ...(r.sentAt !== undefined ? { sentAt: r.sentAt } : {}),
    },
  };
}

export function createHandler(env: FunctionEnv, overrides: RuntimeOverrides = {}) {
  const rt = runtime('notifications', env, overrides);
  const log = new DynamoDbOutboxStore(rt.db, rt.table('alerts'), undefined, rt.cursors);
  return httpFunction({
    name: 'notifications',
    obs: rt.obs,
    auth: rt.auth,
    maxBodyBytes: rt.settings.maxBodyBytes,
    routes: {
      'GET /v1/notifications': async (req) => {
        const q = parse(QuerySchema, req.query, 'query');
        const page = await log.list({ limit: q.limit, cursor: q.cursor, topic: q.topic, now: rt.clock() });
        return { status: 200, body: { ...page, items: page.items.map(notificationView) } };
      },
    },
  });
}

export const handler = lambdaHandler(createHandler);
