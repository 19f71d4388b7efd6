import { get } from './client.js';

/** A rule as `GET /v1/rules` answers (functions/rules/rule-view.ts): its definition, owner and last evaluation. */
export interface Rule {
  readonly id: string;
  readonly type: string;
  readonly severity: string;
  readonly origin: 'api' | 'config';
  readonly lastEvaluation: {
    at: string;
    health: 'ok' | 'nodata' | 'error';
    error: string | null;
    active: number;
    durationMs: number | null;
  } | null;
}

export const listRules = () => get<{ items: Rule[] }>('/v1/rules');
