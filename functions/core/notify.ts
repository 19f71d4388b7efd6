import type { OutboxRecord } from './alerting/model.js';

/**
 * Port for outgoing notifications. In AWS the adapter publishes to SNS; in local mode it prints and posts
 * SNS-shaped messages to webhooks. The notification log is the alerting outbox (`OutboxRecord`): the alert
 * pipeline writes each record before it is published; other notifications are recorded by
 * `recordingNotifier` after their one attempt.
 */
export interface Notification {
  readonly id: string;
  /** A topic name (`critical`, `warning`, … in the catalogue, functions/catalog/topics.ts). */
  readonly topic: string;
  /** Short, human-readable; SNS truncates e-mail subjects at 100 characters. */
  readonly subject: string;
  readonly message: Readonly<Record<string, unknown>>;
  /** Message attributes for subscription filter policies (e.g. `service`, `severity`). */
  readonly attributes?: Readonly<Record<string, string>>;
  /** Epoch ms. */
  readonly at: number;
}

/** The message body subscribers receive (SNS `Message`, JSON): the notification's fields, then its message. */
export function notificationBody(n: Notification): string {
  return JSON.stringify({
    id: n.id,
    topic: n.topic,
    subject: n.subject,
    at: new Date(n.at).toISOString(),
    ...n.message,
  });
}

export interface Delivery {
  readonly via: 'sns' | 'local';
  readonly ok: boolean;
  readonly detail?: string;
}

export interface Notifier {
  publish(notification: Notification): Promise<Delivery>;
}

/** Where `recordingNotifier` writes: the outbox's conditional create. */
export interface NotificationRecorder {
  create(record: OutboxRecord): Promise<'created' | 'exists'>;
}

/**
 * For notifications outside the alert pipeline (deployment events): publishes once, then records it in
 * the notification log as `sent`, or as `dead` with the error (it is not retried). Never throws.
 */
export function recordingNotifier(inner: Notifier, log: NotificationRecorder, now: () => number): Notifier {
  return {
    async publish(notification) {
      let delivery: Delivery;
      try {
        delivery = await inner.publish(notification);
      } catch (error) {
        delivery = { via: 'sns', ok: false, detail: (error as Error).message };
      }
      const at = now();
      await log.create({
        id: notification.id,
        alertId: '',
        ruleId: '',
        kind: 'event',
        topic: notification.topic,
        subject: notification.subject,
        message: notification.message,
        attributes: notification.attributes ?? {},
        status: delivery.ok ? 'sent' : 'dead',
        decisions: [
          delivery.ok
            ? { code: 'sent', message: `published via ${delivery.via}` }
            : { code: 'delivery-failed', message: delivery.detail ?? 'delivery failed' },
        ],
        createdAt: notification.at,
        attempts: 1,
        nextAttemptAt: undefined,
        lastError: delivery.ok ? undefined : (delivery.detail ?? 'delivery failed'),
        sentAt: delivery.ok ? at : undefined,
      });
      return delivery;
    },
  };
}
