import type { VerificationRecord } from './record.js';

/**
 * What `GET /v1/verifications/{id}` answers: the verification flat, as the CLI and the dashboard read it
 * (`status`, `verdict` as a word or null, `score`, `rollback`, `reasons`, `checks` keyed by name), times as
 * ISO 8601, and the deliveries of the verdict (the rollback webhook's failure shows here).
 */
const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

export function verificationView(r: VerificationRecord) {
  const q = r.request;
  return {
    id: r.id,
    service: q.service,
    environment: q.environment,
    version: q.version,
    ...(q.checks.canary ? { baselineVersion: q.checks.canary.baselineVersion } : {}),
    ...(q.deployUrl ? { deployUrl: q.deployUrl } : {}),
    status: r.status,
    verdict: r.verdict?.verdict ?? null,
    score: r.verdict?.score ?? null,
    rollback: r.verdict?.rollback ?? false,
    rollbackReason: r.verdict?.rollbackReason ?? null,
    reasons: r.verdict?.reasons ?? [],
    startedAt: iso(r.createdAt),
    endedAt: iso(r.verdict?.decidedAt),
    updatedAt: iso(r.updatedAt),
    checks: Object.fromEntries(
      Object.entries(r.checks).map(([name, c]) => [
        name,
        {
          status: c.status,
          reasons: c.reasons,
          evidence: c.evidence,
          ...(c.status === 'running' && c.nextAt !== undefined ? { nextAt: iso(c.nextAt) } : {}),
          ...(c.decidedAt !== undefined ? { decidedAt: iso(c.decidedAt) } : {}),
        },
      ]),
    ),
    alerts: r.alerts,
    deliveries: r.deliveries,
    ...(r.abort ? { abort: { ...r.abort, at: iso(r.abort.at) } } : {}),
    request: q,
    statusUrl: `/v1/verifications/${r.id}`,
  };
}
