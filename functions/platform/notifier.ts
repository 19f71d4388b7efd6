import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDbNotificationLog } from '../adapters/dynamodb-notification-log.js';
import { LocalNotifier } from '../adapters/local-notifier.js';
import { SnsNotifier } from '../adapters/sns-notifier.js';
import type { FunctionName } from '../catalog/functions.js';
import { readSettings } from '../catalog/setting-schema.js';
import { TOPIC_NAMES } from '../catalog/topics.js';
import { type Notifier, recordingNotifier } from '../core/notify.js';
import { topicArn } from './config.js';
import type { Runtime } from './runtime.js';

/**
 * SNS in AWS, the local notifier in local mode; both record to the notification log in the alerts table.
 * A function that notifies lists `notifier`, `webhooks` and `notificationRetentionDays` in its catalogue
 * entry and is granted the alerts table and its topics.
 */
export function notifier<F extends FunctionName>(
  rt: Runtime<F>,
  print: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Notifier {
  const cfg = readSettings(['notifier', 'webhooks', 'notificationRetentionDays'], rt.env);
  const log = new DynamoDbNotificationLog(rt.db, rt.table('alerts'), cfg.notificationRetentionDays);
  const inner =
    cfg.notifier === 'local'
      ? new LocalNotifier(cfg.webhooks, print)
      : new SnsNotifier(new SNSClient({}), Object.fromEntries(TOPIC_NAMES.map((t) => [t, topicArn(t, rt.env)])));
  return recordingNotifier(inner, log);
}
