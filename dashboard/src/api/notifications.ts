import { get } from './client.js';

export interface NotificationRecord {
  readonly id: string;
  readonly topic: string;
  readonly subject: string;
  readonly sentAt?: number | string;
  readonly at?: number | string;
  readonly createdAt?: number | string;
  readonly reason?: { code: string; message: string } | string;
  readonly delivery?: { ok?: boolean; status?: string; error?: string } | string;
}

export const listNotifications = () => get<{ items: NotificationRecord[] }>('/v1/notifications', { limit: 50 });
export const notificationTime = (n: NotificationRecord) => n.sentAt ?? n.at ?? n.createdAt;
