import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDbOutboxStore } from '../adapters/dynamodb-outbox-store.js';
import { LocalNotifier } from '../adapters/local-notifier.js';
import { SnsNotifier } from '../adapters/sns-notifier.js';
import type { FunctionName } from '../catalog/functions.js';
import { readSettings } from '../catalog/setting-schema.js';
import { TOPIC_NAMES } from '../catalog/topics.js';
import { type Notifier, recordingNotifier } from '../core/notify.js';
import { topicArn } from './config.js';
import type { Runtime } from './runtime.js';

/**
 * The transport: SNS topics in AWS, the local notifier (console and `VIGIL_WEBHOOKS`) in local mode. The
 * alert pipeline records each notification in the outbox before it is published, so it uses this as it is.
 * A function that notifies lists `notifier` and `webhooks` in its catalogue entry and is granted its topics.
 */
export function notifier<F extends FunctionName>(
  rt: Runtime<F>,
  print: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Notifier {
  const cfg = readSettings(['notifier', 'webhooks'], rt.env);
  return cfg.notifier === 'local'
    ? new LocalNotifier(cfg.webhooks, print)
    : new SnsNotifier(new SNSClient({}), Object.fromEntries(TOPIC_NAMES.map((t) => [t, topicArn(t, rt.env)])));
}

/**
 * For notifications outside the alert pipeline (deployment events): the transport, recording each
 * notification and its delivery in the notification log (the outbox in the alerts table, kept
 * `notificationRetentionDays`). Such a function is granted the alerts table too.
 */
export function loggedNotifier<F extends FunctionName>(
  rt: Runtime<F>,
  print: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Notifier {
  const { notificationRetentionDays } = readSettings(['notificationRetentionDays'], rt.env);
  const log = new DynamoDbOutboxStore(rt.db, rt.table('alerts'), notificationRetentionDays);
  return recordingNotifier(notifier(rt, print), log, rt.clock);
}
