import type { Reason } from '../reason.js';
import type { VerdictName, VerificationRequest } from './request-schema.js';

/**
 * A verification as stored: the request, each check's state and evidence so far, the verdict, and the
 * deliveries of that verdict. One pure step function (`step.ts`) moves it on; the store writes it on the
 * condition that `rev` is still the one read, and a step message carries the `step` it was sent for, so a
 * step delivered twice or crashed half-way is resumed, never repeated or lost (`run-step.ts`).
 */
export const CHECK_NAMES = ['health', 'metrics', 'performance', 'canary', 'errorBudget', 'newErrors'] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export type CheckStatus = 'running' | VerdictName;

export interface CheckState {
  readonly status: CheckStatus;
  /** Why it is not (yet) a pass, or what it saw; one sentence each. */
  readonly reasons: readonly Reason[];
  /** Figures a person can check (check-specific). */
  readonly evidence: Readonly<Record<string, unknown>>;
  /** Epoch ms this check next needs a step (running checks only). */
  readonly nextAt?: number;
  readonly decidedAt?: number;
}

export interface FiringAlert {
  readonly id: string;
  readonly ruleId: string;
  readonly severity: string;
  readonly state: string;
  readonly firedAt?: number;
  readonly summary?: string;
}

export interface DeliveryState {
  readonly state: 'pending' | 'sent' | 'failed';
  readonly attempts: number;
  readonly nextAt?: number;
  readonly lastError?: string;
  readonly sentAt?: number;
  /** What the receiver answered (HTTP status, SNS message id). */
  readonly detail?: string;
}

export interface Verdict {
  readonly verdict: VerdictName;
  /** 0–100: the canary's score when there is a canary, else passing checks / decided checks × 100. */
  readonly score: number;
  readonly reasons: readonly Reason[];
  readonly rollback: boolean;
  readonly rollbackReason: Reason;
  readonly decidedAt: number;
}

export interface VerificationRecord {
  readonly id: string;
  readonly request: VerificationRequest;
  readonly status: 'running' | 'done';
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Steps taken; the next step message carries this number. */
  readonly step: number;
  /** When the next step is due (running, or deliveries pending). */
  readonly nextStepAt: number | undefined;
  /** Optimistic-concurrency revision of the stored item (the store increments it). */
  readonly rev: number;
  readonly checks: Readonly<Partial<Record<CheckName, CheckState>>>;
  /** Firing alerts of the service during the window, listed with the verdict. */
  readonly alerts: readonly FiringAlert[];
  readonly verdict: Verdict | undefined;
  readonly deliveries: Readonly<{ deployments?: DeliveryState; webhook?: DeliveryState }>;
  readonly abort: { readonly by: string; readonly reason: string; readonly at: number } | undefined;
}

/** The checks a request asks for, in a fixed order. */
export const requestedChecks = (request: VerificationRequest): CheckName[] =>
  CHECK_NAMES.filter((c) => request.checks[c] !== undefined);

/** A new verification: every requested check running and due at once. */
export function newVerification(id: string, request: VerificationRequest, now: number): VerificationRecord {
  const checks: Partial<Record<CheckName, CheckState>> = {};
  for (const name of requestedChecks(request)) {
    checks[name] = { status: 'running', reasons: [], evidence: {}, nextAt: firstDue(name, request, now) };
  }
  return {
    id,
    request,
    status: 'running',
    createdAt: now,
    updatedAt: now,
    step: 0,
    nextStepAt: now,
    rev: 0,
    checks,
    alerts: [],
    verdict: undefined,
    deliveries: {},
    abort: undefined,
  };
}

/** When a check first needs looking at: probes and metric arrival at once, windows when they are complete. */
function firstDue(name: CheckName, request: VerificationRequest, now: number): number {
  const c = request.checks;
  switch (name) {
    case 'performance':
      return now + (c.performance?.windowSeconds ?? 0) * 1_000;
    case 'canary':
      return now + (c.canary?.intervalSeconds ?? 0) * 1_000;
    case 'errorBudget':
    case 'newErrors':
      return now + endWindowSeconds(request) * 1_000;
    default:
      return now;
  }
}

/**
 * The window of the checks judged at the end (error budget, new errors, firing alerts): their own
 * `windowSeconds` if given, else the longest timed check's planned window, else 300 s.
 */
export function endWindowSeconds(request: VerificationRequest): number {
  const c = request.checks;
  const own = Math.max(c.errorBudget?.windowSeconds ?? 0, c.newErrors?.windowSeconds ?? 0);
  if (own > 0) return own;
  const timed = Math.max(c.performance?.windowSeconds ?? 0, c.canary?.durationSeconds ?? 0);
  return timed > 0 ? timed : c.health || c.metrics ? 0 : 300;
}

/** The latest a verification may still be running: its longest check's limit, and never past an hour. */
export function deadlineOf(record: Pick<VerificationRecord, 'request' | 'createdAt'>): number {
  const c = record.request.checks;
  const longest = Math.max(
    c.health?.timeoutSeconds ?? 0,
    c.metrics?.withinSeconds ?? 0,
    c.performance?.windowSeconds ?? 0,
    c.canary?.maxDurationSeconds ?? 0,
    c.errorBudget || c.newErrors ? endWindowSeconds(record.request) : 0,
  );
  // A minute of slack for the last step's own reads; the hard cap is the documented hour.
  return record.createdAt + (Math.min(longest, 3_600) + 60) * 1_000;
}
