import * as v from 'valibot';
import { DynamoDbNotificationLog } from '../adapters/dynamodb-notification-log.js';
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

export function createHandler(env: FunctionEnv, overrides: RuntimeOverrides = {}) {
  const rt = runtime('notifications', env, overrides);
  const log = new DynamoDbNotificationLog(rt.db, rt.table('alerts'), undefined, rt.cursors);
  return httpFunction({
    name: 'notifications',
    obs: rt.obs,
    auth: rt.auth,
    maxBodyBytes: rt.settings.maxBodyBytes,
    routes: {
      'GET /v1/notifications': async (req) => {
        const q = parse(QuerySchema, req.query, 'query');
        const page = await log.list({ limit: q.limit, cursor: q.cursor, topic: q.topic, now: rt.clock() });
        return { status: 200, body: page };
      },
    },
  });
}

export const handler = lambdaHandler(createHandler);
