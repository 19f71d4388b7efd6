import * as v from 'valibot';
import { DynamoDbOutboxStore } from '../adapters/dynamodb-outbox-store.js';
import { notificationView } from '../alerts/views.js';
import { TOPIC_NAMES } from '../catalog/topics.js';
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
 * The notification log: the outbox the evaluator writes before it publishes, one record per notification
 * with its status (`sent`, `held`, `suppressed`, `folded`, `dead`, `pending`) and every pipeline decision.
 */
export function createHandler(env: FunctionEnv, overrides: RuntimeOverrides = {}) {
  const rt = runtime('notifications', env, overrides);
  const outbox = new DynamoDbOutboxStore(rt.db, rt.table('alerts'), undefined, rt.cursors);
  return httpFunction({
    name: 'notifications',
    obs: rt.obs,
    auth: rt.auth,
    maxBodyBytes: rt.settings.maxBodyBytes,
    routes: {
      'GET /v1/notifications': async (req) => {
        const q = parse(QuerySchema, req.query, 'query');
        const page = await outbox.list({
          limit: q.limit,
          now: rt.clock(),
          ...(q.cursor ? { cursor: q.cursor } : {}),
          ...(q.topic ? { topic: q.topic } : {}),
        });
        return {
          status: 200,
          body: {
            items: page.items.map(notificationView),
            ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
          },
        };
      },
    },
  });
}

export const handler = lambdaHandler(createHandler);
