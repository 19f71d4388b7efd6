import { get } from './client.js';

/**
 * Verifications (`/v1/verifications`, docs/VERIFICATION.md): the API's view (`functions/core/verification/view.ts`).
 * The routes need a token with the `verify` scope (or `admin`); with another the view shows the 403.
 */
export interface Check {
  readonly name?: string;
  readonly state?: string;
  /** `running`, `pass`, `marginal`, `fail` or `inconclusive`. */
  readonly status?: string;
  readonly reasons?: readonly (string | { code: string; message: string })[];
  readonly evidence?: Record<string, unknown>;
  readonly nextAt?: string;
  readonly decidedAt?: string;
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
  readonly rollbackReason?: { code: string; message: string } | null;
  readonly deliveries?: Record<string, { state: string; attempts: number; lastError?: string }>;
  readonly statusUrl?: string;
}

export const listVerifications = (
  q: { service?: string; environment?: string; limit?: number; cursor?: string } = {},
) => get<{ items: Verification[]; nextCursor?: string }>('/v1/verifications', q);
export const getVerification = (id: string) => get<Verification>(`/v1/verifications/${encodeURIComponent(id)}`);

export function checksOf(v: Verification): (Check & { name: string })[] {
  if (!v.checks) return [];
  if (Array.isArray(v.checks)) return v.checks.map((c, i) => ({ ...c, name: c.name ?? `check ${i + 1}` }));
  return Object.entries(v.checks).map(([name, c]) => ({ ...(c as Check), name }));
}

export const reasonText = (r: string | { code: string; message: string }) => (typeof r === 'string' ? r : r.message);
