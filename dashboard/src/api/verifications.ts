import { get } from './client.js';

/** Verifications per issue #13 (`/v1/verifications`); field names follow the issue until the API lands. */
export interface Check {
  readonly name?: string;
  readonly state?: string;
  readonly status?: string;
  readonly reasons?: readonly (string | { code: string; message: string })[];
  readonly evidence?: Record<string, unknown>;
}

export interface Verification {
  readonly id: string;
  readonly service: string;
  readonly environment?: string;
  readonly version?: string;
  readonly status: string;
  readonly verdict?: 'pass' | 'marginal' | 'fail' | 'inconclusive' | null;
  readonly score?: number | null;
  readonly startedAt?: number | string;
  readonly endedAt?: number | string | null;
  readonly rollback?: boolean;
  readonly reasons?: readonly (string | { code: string; message: string })[];
  readonly checks?: Record<string, Check> | readonly Check[];
  readonly baselineVersion?: string;
}

export const listVerifications = (q: { service?: string; limit?: number } = {}) =>
  get<{ items: Verification[] }>('/v1/verifications', q);
export const getVerification = (id: string) => get<Verification>(`/v1/verifications/${encodeURIComponent(id)}`);

export function checksOf(v: Verification): (Check & { name: string })[] {
  if (!v.checks) return [];
  if (Array.isArray(v.checks)) return v.checks.map((c, i) => ({ ...c, name: c.name ?? `check ${i + 1}` }));
  return Object.entries(v.checks).map(([name, c]) => ({ ...(c as Check), name }));
}

export const reasonText = (r: string | { code: string; message: string }) => (typeof r === 'string' ? r : r.message);
