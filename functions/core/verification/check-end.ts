import { reason } from '../reason.js';
import { figure } from './format-figures.js';
import type { NewErrorCandidate, SloBurn } from './ports.js';
import type { CheckState } from './record.js';

/**
 * The checks judged once, at the end of the window: the error budget (through the alerting rules' SLO burn)
 * and errors never seen before this version.
 */
export function errorBudgetStep(
  slo: string,
  burn: SloBurn | { readonly unknown: true; readonly reason: string },
  windowSeconds: number,
  now: number,
): CheckState {
  if ('unknown' in burn) {
    return {
      status: 'inconclusive',
      reasons: [reason('slo-unknown', `error budget of "${slo}" could not be judged: ${burn.reason}`)],
      evidence: { slo },
      decidedAt: now,
    };
  }
  const evidence = { ...burn, windowSeconds };
  const left = `${figure(burn.remainingBudget * 100)}% of the budget remains`;
  if (burn.burnRate > burn.fastBurnRate) {
    return {
      status: 'fail',
      reasons: [
        reason(
          'error-budget-fast-burn',
          `"${slo}" burned its error budget at ${figure(burn.burnRate)}× during the last ${windowSeconds} s, faster than its fast-burn rate ${figure(burn.fastBurnRate)}× (${left})`,
        ),
      ],
      evidence,
      decidedAt: now,
    };
  }
  return {
    status: 'pass',
    reasons: [
      reason(
        'error-budget-ok',
        `"${slo}" burned at ${figure(burn.burnRate)}×, below its fast-burn rate ${figure(burn.fastBurnRate)}× (${left})`,
      ),
    ],
    evidence,
    decidedAt: now,
  };
}

export interface NewError {
  readonly fingerprint: string;
  readonly type: string;
  readonly message: string;
  readonly count: number;
  readonly firstSeen: number;
}

/**
 * New = seen in this version, never in the baseline version, and first seen at or after the deploy (so never
 * before it in any version). `critical`: any new error fails; otherwise they are listed and the check is
 * `marginal`, which a pipeline passes unless it is strict.
 */
export function newErrorsOf(
  groups: readonly NewErrorCandidate[],
  version: string,
  baseline: string | undefined,
  startedAt: number,
): NewError[] {
  return groups
    .filter(
      (g) => g.versions.includes(version) && (!baseline || !g.versions.includes(baseline)) && g.firstSeen >= startedAt,
    )
    .sort((a, b) => a.firstSeen - b.firstSeen)
    .slice(0, 50)
    .map((g) => ({
      fingerprint: g.fingerprint,
      type: g.type,
      message: g.message.slice(0, 300),
      count: g.count,
      firstSeen: g.firstSeen,
    }));
}

export function newErrorsStep(
  groups: readonly NewErrorCandidate[],
  critical: boolean,
  version: string,
  baseline: string | undefined,
  startedAt: number,
  now: number,
): CheckState {
  const found = newErrorsOf(groups, version, baseline, startedAt);
  const evidence = { version, ...(baseline ? { baselineVersion: baseline } : {}), newErrors: found, critical };
  if (found.length === 0) {
    return {
      status: 'pass',
      reasons: [reason('no-new-errors', `no error seen in version ${version} is new`)],
      evidence,
      decidedAt: now,
    };
  }
  const list = found
    .slice(0, 3)
    .map((e) => `${e.type}: ${e.message.slice(0, 80)} (×${e.count}, first at ${new Date(e.firstSeen).toISOString()})`)
    .join('; ');
  const more = found.length > 3 ? ` and ${found.length - 3} more` : '';
  return {
    status: critical ? 'fail' : 'marginal',
    reasons: [
      reason(
        'new-errors',
        `${found.length} error${found.length === 1 ? '' : 's'} never seen before version ${version}: ${list}${more}`,
      ),
    ],
    evidence,
    decidedAt: now,
  };
}
