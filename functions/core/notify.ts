/**
 * Port for outgoing notifications. In AWS the adapter publishes to SNS; in local mode it prints and posts
 * SNS-shaped messages to webhooks. Either way every notification is also written to the notification log.
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

export interface LoggedNotification extends Notification {
  readonly delivery: Delivery;
}

export interface NotificationPage {
  readonly items: LoggedNotification[];
  readonly nextCursor?: string;
}

export interface NotificationLog {
  record(entry: LoggedNotification): Promise<void>;
  list(options: { limit: number; cursor?: string; topic?: string; now: number }): Promise<NotificationPage>;
}

/** Publishes, then records what happened; a failed delivery is recorded, never thrown. */
export function recordingNotifier(inner: Notifier, log: NotificationLog): Notifier {
  return {
    async publish(notification) {
      let delivery: Delivery;
      try {
        delivery = await inner.publish(notification);
      } catch (error) {
        delivery = { via: 'sns', ok: false, detail: (error as Error).message };
      }
      await log.record({ ...notification, delivery });
      return delivery;
    },
  };
}
