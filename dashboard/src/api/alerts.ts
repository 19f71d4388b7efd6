import { api, get } from './client.js';

/** Alerts per issue #12 (`/v1/alerts`); field names follow the issue until the API lands. */
export interface Alert {
  readonly id: string;
  readonly rule: string;
  readonly state: 'pending' | 'firing' | 'resolved' | 'inactive' | 'nodata' | string;
  readonly severity: string;
  readonly labels: Record<string, string>;
  readonly value?: number | null;
  readonly activeAt?: number | string | null;
  readonly firedAt?: number | string | null;
  readonly acknowledged?: { by: string; comment?: string; at?: number | string } | null;
  readonly annotations?: { summary?: string; description?: string; runbook?: string };
}

export const listAlerts = (q: { state?: string; service?: string; severity?: string } = {}) =>
  get<{ items: Alert[] }>('/v1/alerts', q);
const action = (id: string, verb: string, body: Record<string, unknown>) =>
  api<Alert>('POST', `/v1/alerts/${encodeURIComponent(id)}/${verb}`, body);
export const ackAlert = (id: string, by: string, comment: string) => action(id, 'ack', { by, comment });
export const unackAlert = (id: string) => action(id, 'unack', {});
export const resolveAlert = (id: string, by: string, comment: string) => action(id, 'resolve', { by, comment });
export const alertService = (a: Alert) => a.labels.service;
