import { type Reason, reason } from '../reason.js';
import type { CheckName, CheckState, FiringAlert, Verdict, VerificationRecord } from './record.js';
import type { VerdictName } from './request-schema.js';

/**
 * The verdict of decided checks: `fail` if any check failed, else `inconclusive` if any could not decide,
 * else `marginal` if any was marginal, else `pass`. The score is the canary's when there is one, else
 * passing checks / checks × 100. `rollback` is whether the verdict is one of `rollback.onVerdict`.
 */
const RANK: Record<VerdictName, number> = { pass: 0, marginal: 1, inconclusive: 2, fail: 3 };

export function verdictOf(
  record: VerificationRecord,
  checks: Readonly<Partial<Record<CheckName, CheckState>>>,
  alerts: readonly FiringAlert[],
  now: number,
  extra: readonly Reason[] = [],
  forced?: VerdictName,
): Verdict {
  const entries = Object.entries(checks) as [CheckName, CheckState][];
  let verdict: VerdictName = 'pass';
  for (const [, c] of entries) {
    const s = c.status === 'running' ? 'inconclusive' : c.status;
    if (RANK[s] > RANK[verdict]) verdict = s;
  }
  if (forced) verdict = forced;
  const canary = checks.canary;
  const canaryScore = (canary?.evidence as { score?: number } | undefined)?.score;
  const passing = entries.filter(([, c]) => c.status === 'pass').length;
  const score =
    canary && typeof canaryScore === 'number' && canary.status !== 'inconclusive'
      ? canaryScore
      : entries.length === 0
        ? 0
        : (passing / entries.length) * 100;
  const reasons: Reason[] = [...extra];
  for (const [name, c] of entries) {
    if (c.status !== 'pass') for (const r of c.reasons) reasons.push(reason(r.code, `${name}: ${r.message}`));
  }
  if (alerts.length > 0) {
    reasons.push(
      reason(
        'alerts-firing',
        `${alerts.length} alert${alerts.length === 1 ? '' : 's'} of ${record.request.service} fired during the window: ${alerts
          .slice(0, 5)
          .map((a) => a.summary ?? a.ruleId)
          .join('; ')}`,
      ),
    );
  }
  if (verdict === 'pass') reasons.unshift(reason('all-checks-passed', `all ${entries.length} checks passed`));
  const onVerdict = record.request.rollback.onVerdict;
  const rollback = onVerdict.includes(verdict);
  const rollbackReason = rollback
    ? reason(
        'rollback-verdict',
        `roll back: the verdict ${verdict} is one of rollback.onVerdict (${onVerdict.join(', ')})`,
      )
    : reason(
        'no-rollback',
        `no rollback: the verdict ${verdict} is not one of rollback.onVerdict (${onVerdict.join(', ') || 'none'})`,
      );
  return { verdict, score: Math.round(score * 10) / 10, reasons, rollback, rollbackReason, decidedAt: now };
}
