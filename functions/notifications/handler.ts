import * as v from 'valibot';
import { TOPIC_NAMES } from '../../lib/topics.js';
import { DynamoDbNotificationLog } from '../adapters/dynamodb-notification-log.js';
import { tableName } from '../platform/config.js';
import { httpFunction } from '../platform/http-function.js';
import { runtime } from '../platform/runtime.js';
import { parse } from '../platform/validate.js';

const rt = runtime('notifications');
const log = new DynamoDbNotificationLog(rt.db, tableName('alerts', rt.env));

const QuerySchema = v.object({
  limit: v.optional(
    v.pipe(v.string(), v.transform(Number), v.number('must be a number'), v.integer(), v.minValue(1), v.maxValue(200)),
    '50',
  ),
  cursor: v.optional(v.string()),
  topic: v.optional(v.picklist(TOPIC_NAMES, `must be one of: ${TOPIC_NAMES.join(', ')}`)),
});

export const handler = httpFunction({
  name: 'notifications',
  obs: rt.obs,
  auth: rt.auth,
  maxBodyBytes: rt.config.VIGIL_MAX_BODY_BYTES,
  routes: {
    'GET /v1/notifications': async (req) => {
      const q = parse(QuerySchema, req.query, 'query');
      const page = await log.list({ limit: q.limit, cursor: q.cursor, topic: q.topic, now: rt.clock() });
      return { status: 200, body: page };
    },
  },
});
