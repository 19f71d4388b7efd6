import { get } from './client.js';

/** A record of the notification outbox, as `GET /v1/notifications` answers (functions/notifications/handler.ts). */
export interface NotificationRecord {
  readonly id: string;
  readonly alertId: string;
  readonly kind: string;
  readonly topic: string;
  readonly subject: string;
  /** `pending`, `sent`, `held`, `suppressed`, `folded` or `dead`. */
  readonly status: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly sentAt?: number;
  /** The last pipeline decision (`silenced`, `throttled`, `grouped`, …). */
  readonly reason: { code: string; message: string } | null;
  readonly attempts: number;
  readonly lastError?: string;
}

export const listNotifications = () => get<{ items: NotificationRecord[] }>('/v1/notifications', { limit: 50 });
export const notificationTime = (n: NotificationRecord) => n.sentAt ?? n.createdAt;
/** What happened to it, in a few words: `sent`, `suppressed`, `dead: <error>`. */
export const deliveryText = (n: NotificationRecord) => (n.lastError ? `${n.status}: ${n.lastError}` : n.status);
