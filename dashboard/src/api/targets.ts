import { api, get } from './client.js';

export interface TargetState {
  readonly status: string;
  readonly reason: string | null;
  readonly since: string | null;
  readonly lastCheckedAt: string | null;
  readonly latencyMs: number | null;
}

export interface Target {
  readonly id: string;
  readonly service: string;
  readonly url: string;
  readonly method?: string;
  readonly intervalSeconds?: number;
  readonly timeoutMs?: number;
  readonly state?: TargetState;
  readonly source?: string;
}

export interface Probe {
  readonly at: string | number;
  readonly level: string;
  readonly status: string;
  readonly reason: string | null;
  readonly latencyMs: number | null;
}

export interface TargetEvent {
  readonly targetId: string;
  readonly service: string;
  readonly from: string;
  readonly to: string;
  readonly reason: string | null;
  readonly at: string;
}

export const listTargets = () => get<{ items: Target[] }>('/v1/targets');
export const getTarget = (id: string) =>
  get<Target & { uptime?: Record<string, { uptimePercent: number | null; probes: number }> }>(
    `/v1/targets/${encodeURIComponent(id)}`,
  );
export const targetHistory = (id: string, q: { from: number; to: number; limit?: number }) =>
  get<{ items: Probe[]; summary?: { uptimePercent: number | null } }>(`/v1/targets/${encodeURIComponent(id)}/history`, {
    ...q,
  });
export const targetEvents = (q: { from: number; to: number; service?: string }) =>
  get<{ items: TargetEvent[] }>('/v1/target-events', { ...q });
export const putTarget = (id: string, body: Record<string, unknown>) =>
  api<Target>('PUT', `/v1/targets/${encodeURIComponent(id)}`, body);
export const deleteTarget = (id: string) => api<void>('DELETE', `/v1/targets/${encodeURIComponent(id)}`);
