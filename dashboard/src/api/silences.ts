import { api, get } from './client.js';

export interface Matcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

export interface Silence {
  readonly id: string;
  readonly matchers: readonly Matcher[];
  readonly startsAt: string | number;
  readonly endsAt: string | number;
  readonly comment: string;
  readonly createdBy: string;
  readonly state?: string;
}

export const listSilences = () => get<{ items: Silence[] }>('/v1/silences');
export const createSilence = (s: Omit<Silence, 'id' | 'state'>) => api<Silence>('POST', '/v1/silences', s);
export const expireSilence = (id: string) => api<void>('DELETE', `/v1/silences/${encodeURIComponent(id)}`);

/** A silence for exactly this alert's labels, for the next hour: one click from the alert. */
export function silenceFor(
  labels: Record<string, string>,
  now: number,
  by: string,
  hours = 1,
): Omit<Silence, 'id' | 'state'> {
  return {
    matchers: Object.entries(labels).map(([label, value]) => ({ label, op: '=', value })),
    startsAt: new Date(now).toISOString(),
    endsAt: new Date(now + hours * 3_600_000).toISOString(),
    comment: 'silenced from the dashboard',
    createdBy: by,
  };
}
