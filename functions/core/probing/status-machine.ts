import { type Outcome, STATUS_OF_LEVEL, type TargetState, type TransitionEvent } from './model.js';

/**
 * The status state machine. A status gets worse only after `failureThreshold` consecutive results worse
 * than it, and better only after `successThreshold` consecutive results better than it, so one blip does
 * not flap. From `unknown` the first result decides at once: there is no status yet to protect.
 */
export interface Thresholds {
  readonly failureThreshold: number;
  readonly successThreshold: number;
}

const RANK = { up: 0, degraded: 1, down: 2 } as const;
type Known = keyof typeof RANK;

export function initialState(id: string, now: number): TargetState {
  return {
    id,
    status: 'unknown',
    reason: undefined,
    since: now,
    streak: undefined,
    lastRunAt: undefined,
    lastCheckedAt: undefined,
    lastLevel: undefined,
    lastReason: undefined,
    latencyMs: undefined,
    httpStatus: undefined,
    certificateValidTo: undefined,
  };
}

export interface Step {
  readonly state: TargetState;
  /** Present when the status changed. */
  readonly transition?: Pick<TransitionEvent, 'from' | 'to' | 'reason' | 'at' | 'latencyMs'>;
}

export function nextState(
  prev: TargetState,
  outcome: Outcome,
  thresholds: Thresholds,
  runAt: number,
  now: number,
): Step {
  const observed: Known = STATUS_OF_LEVEL[outcome.level];
  const seen = {
    lastRunAt: runAt,
    lastCheckedAt: now,
    lastLevel: outcome.level,
    lastReason: outcome.reason,
    lastReasonCode: outcome.reasonCode,
    latencyMs: outcome.latencyMs,
    httpStatus: outcome.httpStatus,
    certificateValidTo: outcome.certificateValidTo ?? prev.certificateValidTo,
  };
  const move = (to: Known, reason: string | undefined): Step => ({
    state: { ...prev, ...seen, status: to, reason: to === 'up' ? undefined : reason, since: now, streak: undefined },
    transition: {
      from: prev.status,
      to,
      reason: to === 'up' ? undefined : reason,
      at: now,
      latencyMs: outcome.latencyMs,
    },
  });

  if (prev.status === 'unknown') return move(observed, outcome.reason);
  const current: Known = prev.status;
  if (observed === current) {
    // Same status: any pending change is off, and the reason follows the latest result.
    return { state: { ...prev, ...seen, reason: current === 'up' ? undefined : outcome.reason, streak: undefined } };
  }

  const direction = RANK[observed] > RANK[current] ? 'worse' : 'better';
  const continuing = prev.streak?.direction === direction ? prev.streak : undefined;
  // A worsening streak moves to the mildest status seen in it (every result was at least that bad), an
  // improving one to the harshest (every result was at least that good).
  const pick = (a: Known, b: Known): Known => ((direction === 'worse') === RANK[a] < RANK[b] ? a : b);
  const toward: Known = continuing ? pick(continuing.toward, observed) : observed;
  const reason = !continuing || toward === observed ? outcome.reason : continuing.reason;
  const count = (continuing?.count ?? 0) + 1;
  const threshold = direction === 'worse' ? thresholds.failureThreshold : thresholds.successThreshold;
  if (count >= threshold) return move(toward, reason);
  return { state: { ...prev, ...seen, streak: { direction, count, toward, reason } } };
}
