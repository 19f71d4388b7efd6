import { api, get } from './client.js';

/** An alert as `GET /v1/alerts` answers (functions/alerts/views.ts); times are ISO 8601. */
export interface Alert {
  readonly id: string;
  readonly ruleId: string;
  readonly state: 'pending' | 'firing' | 'resolved' | 'inactive' | 'nodata' | string;
  readonly severity: string;
  readonly labels: Record<string, string>;
  readonly value: number | null;
  readonly activeAt: string | null;
  readonly firedAt: string | null;
  readonly flapping: boolean;
  readonly acknowledged: { by: string; comment: string | null; at: string; until: string | null } | null;
  readonly annotations: { summary?: string; description?: string; runbook?: string };
}

export const listAlerts = (q: { state?: string; service?: string; severity?: string } = {}) =>
  get<{ items: Alert[] }>('/v1/alerts', q);
const action = (id: string, verb: string, body: Record<string, unknown>) =>
  api<Alert>('POST', `/v1/alerts/${encodeURIComponent(id)}/${verb}`, body);
export const ackAlert = (id: string, by: string, comment: string) => action(id, 'ack', { by, comment });
export const unackAlert = (id: string) => action(id, 'unack', {});
export const resolveAlert = (id: string, by: string, comment: string) => action(id, 'resolve', { by, comment });
export const alertService = (a: Alert) => a.labels.service;
