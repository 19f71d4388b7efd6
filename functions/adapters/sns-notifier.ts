import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { TopicName } from '../catalog/topics.js';
import { type Delivery, type Notification, type Notifier, notificationBody } from '../core/notify.js';

/** Publishes notifications to the SNS topic of their name. */
export class SnsNotifier implements Notifier {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArns: Partial<Record<TopicName, string>>,
  ) {}

  async publish(n: Notification): Promise<Delivery> {
    const arn = this.topicArns[n.topic as TopicName];
    if (!arn) return { via: 'sns', ok: false, detail: `no topic configured for ${n.topic}` };
    const out = await this.client.send(
      new PublishCommand({
        TopicArn: arn,
        Subject: snsSubject(n.subject),
        Message: notificationBody(n),
        MessageAttributes: Object.fromEntries(
          Object.entries(n.attributes ?? {}).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]),
        ),
      }),
    );
    return { via: 'sns', ok: true, detail: out.MessageId };
  }
}

/** SNS subjects: printable ASCII, no line breaks, at most 100 characters. */
export function snsSubject(subject: string): string {
  const clean = subject.replace(/[^\x20-\x7e]/g, ' ').trim() || 'Vigil notification';
  return clean.length > 100 ? `${clean.slice(0, 99)}…`.replace('…', '.') : clean;
}
