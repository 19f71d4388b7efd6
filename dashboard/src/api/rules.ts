import { get } from './client.js';

export interface Rule {
  readonly id: string;
  readonly type: string;
  readonly severity: string;
  readonly lastEvaluation?: { at?: number | string; state?: string; error?: string | null; durationMs?: number } | null;
}

export const listRules = () => get<{ items: Rule[] }>('/v1/rules');
