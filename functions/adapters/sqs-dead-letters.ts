import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { OutboxRecord } from '../core/alerting/model.js';
import type { DeadLetterQueue } from '../core/alerting/ports.js';

/**
 * Sends a notification that failed every attempt to the dead-letter queue (an alarm watches its depth):
 * the whole outbox record as JSON, with `notificationId`, `topic` and `alertId` as message attributes.
 */
export class SqsDeadLetters implements DeadLetterQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(record: OutboxRecord): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(record),
        MessageAttributes: {
          notificationId: { DataType: 'String', StringValue: record.id },
          topic: { DataType: 'String', StringValue: record.topic },
          alertId: { DataType: 'String', StringValue: record.alertId },
        },
      }),
    );
  }
}

/** Local mode has no queue: the record stays `dead` in the notification log; this says so in the log. */
export class LoggedDeadLetters implements DeadLetterQueue {
  constructor(private readonly log: (message: string, fields: Record<string, unknown>) => void) {}

  async send(record: OutboxRecord): Promise<void> {
    this.log('notification dead (no dead-letter queue here; it stays in the notification log)', {
      notificationId: record.id,
      topic: record.topic,
      attempts: record.attempts,
      lastError: record.lastError,
    });
  }
}
