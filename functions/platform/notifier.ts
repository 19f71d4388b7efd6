import { SNSClient } from '@aws-sdk/client-sns';
import * as v from 'valibot';
import { TOPIC_NAMES } from '../../lib/topics.js';
import { DynamoDbNotificationLog } from '../adapters/dynamodb-notification-log.js';
import { LocalNotifier } from '../adapters/local-notifier.js';
import { SnsNotifier } from '../adapters/sns-notifier.js';
import { type Notifier, recordingNotifier } from '../core/notify.js';
import { intSetting, readConfig, tableName, topicArn } from './config.js';
import type { Runtime } from './runtime.js';

const notifierSchema = v.object({
  VIGIL_NOTIFIER: v.optional(v.picklist(['sns', 'local'], 'must be "sns" or "local"'), 'sns'),
  VIGIL_WEBHOOKS: v.pipe(
    v.optional(v.string(), ''),
    v.transform((s) =>
      s
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean),
    ),
    v.array(v.pipe(v.string(), v.url('each webhook must be a URL'))),
  ),
  VIGIL_NOTIFICATION_RETENTION_DAYS: intSetting(30, 1, 3650),
});

/** SNS in AWS, the local notifier in local mode; both record to the notification log in the alerts table. */
export function notifier(rt: Runtime, print: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Notifier {
  const cfg = readConfig(notifierSchema, rt.env);
  const log = new DynamoDbNotificationLog(rt.db, tableName('alerts', rt.env), cfg.VIGIL_NOTIFICATION_RETENTION_DAYS);
  const inner =
    cfg.VIGIL_NOTIFIER === 'local'
      ? new LocalNotifier(cfg.VIGIL_WEBHOOKS, print)
      : new SnsNotifier(new SNSClient({}), Object.fromEntries(TOPIC_NAMES.map((t) => [t, topicArn(t, rt.env)])));
  return recordingNotifier(inner, log);
}
