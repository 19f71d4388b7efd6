import { reason } from '../reason.js';
import { formatDuration } from './duration.js';
import type { AlertRecord, AlertState, AlertTransition, Annotations, Labels, NoDataPolicy, Severity } from './model.js';
import type { FlappingPolicy } from './rule-model.js';

/**
 * One alert's step, Prometheus' `rules/alerting.go` semantics exactly, plus `nodata`, flapping and manual
 * resolve: a pure function of (previous record, this evaluation's observation, now) → (next record,
 * transitions). The evaluator calls it once per alert and evaluation.
 *
 *   inactive|resolved ─true─▶ pending (activeAt = now) ─true, now − activeAt ≥ for─▶ firing
 *   pending ─false─▶ inactive (for starts over)        firing ─false, keepFiringFor over─▶ resolved
 *   any ─no data─▶ per the rule's noData policy         `for: 0` fires at the first true evaluation
 */
export type Observation =
  | {
      readonly kind: 'value';
      readonly condition: boolean;
      readonly value: number | undefined;
      /** What was seen, as a sentence fragment: "p95 of http.server.duration over 5m is 812.3 (> 800)". */
      readonly description: string;
    }
  | { readonly kind: 'nodata'; readonly description: string };

export interface StepPolicy {
  readonly forMs: number;
  readonly keepFiringForMs: number;
  readonly noData: NoDataPolicy;
  readonly flapping: FlappingPolicy;
}

export interface AlertIdentity {
  readonly id: string;
  readonly ruleId: string;
  readonly labels: Labels;
  readonly severity: Severity;
  /** Rendered with this evaluation's value. */
  readonly annotations: Annotations;
}

export interface StepResult {
  readonly next: AlertRecord;
  readonly transitions: AlertTransition[];
  /** Whether the record needs writing: a transition, a flag, or a new value of an active alert. */
  readonly changed: boolean;
}

/** Recent state-change times kept per alert (flap detection needs no more than this). */
export const MAX_CHANGES_KEPT = 50;

export function newAlert(identity: AlertIdentity, now: number): AlertRecord {
  return {
    ...identity,
    state: 'inactive',
    value: undefined,
    activeAt: undefined,
    firedAt: undefined,
    resolvedAt: undefined,
    keepFiringSince: undefined,
    lastEvalAt: now,
    changes: [],
    flapping: false,
    ack: undefined,
    manualResolve: undefined,
    seq: 0,
    version: 0,
  };
}

const isActive = (s: AlertState) => s === 'pending' || s === 'firing';

export function step(
  prev: AlertRecord,
  obs: Observation,
  policy: StepPolicy,
  identity: AlertIdentity,
  now: number,
): StepResult {
  let a: AlertRecord = {
    ...prev,
    labels: identity.labels,
    severity: identity.severity,
    annotations: identity.annotations,
    lastEvalAt: now,
  };
  const transitions: AlertTransition[] = [];
  const move = (to: AlertState, code: string, message: string, patch: Partial<AlertRecord> = {}) => {
    const seq = a.seq + 1;
    transitions.push({
      alertId: a.id,
      ruleId: a.ruleId,
      seq,
      from: a.state,
      to,
      at: now,
      value: a.value,
      reason: reason(code, message),
    });
    a = { ...a, ...patch, state: to, seq, changes: [...a.changes, now].slice(-MAX_CHANGES_KEPT) };
  };

  // The noData policy turns missing data into one of the three things an evaluation can say.
  let condition: boolean | 'nodata' | 'keep';
  let description = obs.description;
  if (obs.kind === 'value') {
    condition = obs.condition;
    a = { ...a, value: obs.value };
  } else {
    a = { ...a, value: undefined };
    condition = { nodata: 'nodata', ok: false, alerting: true, keep: 'keep' }[policy.noData] as
      | boolean
      | 'nodata'
      | 'keep';
    description = `no data: ${obs.description}`;
  }

  if (a.manualResolve) {
    // A manual resolve lasts while the condition holds; once it clears, the alert is back to normal.
    if (condition === true || condition === 'keep') return finish(prev, a, transitions, policy, now);
    a = { ...a, manualResolve: undefined };
    return finish(prev, a, transitions, policy, now, true);
  }

  if (condition === 'keep') return finish(prev, a, transitions, policy, now);

  if (condition === 'nodata') {
    if (a.state !== 'nodata') {
      move('nodata', 'no-data', `${description}; shown as nodata until data returns`, {
        activeAt: undefined,
        keepFiringSince: undefined,
      });
    }
    return finish(prev, a, transitions, policy, now);
  }

  if (condition) {
    if (a.state === 'firing') {
      if (a.keepFiringSince !== undefined) a = { ...a, keepFiringSince: undefined };
    } else if (a.state !== 'pending') {
      if (policy.forMs === 0) {
        move('firing', 'condition-true', description, {
          activeAt: now,
          firedAt: now,
          resolvedAt: undefined,
          keepFiringSince: undefined,
        });
      } else {
        move('pending', 'condition-true', `${description}; fires if it holds for ${formatDuration(policy.forMs)}`, {
          activeAt: now,
          firedAt: undefined,
          resolvedAt: undefined,
          keepFiringSince: undefined,
        });
      }
    } else if (a.activeAt !== undefined && now - a.activeAt >= policy.forMs) {
      move(
        'firing',
        'for-elapsed',
        `${description}, for ${formatDuration(now - a.activeAt)} (for: ${formatDuration(policy.forMs)})`,
        { firedAt: now },
      );
    }
    return finish(prev, a, transitions, policy, now);
  }

  // The condition is false.
  if (a.state === 'pending') {
    move('inactive', 'condition-false', `${description}; cleared before it held for ${formatDuration(policy.forMs)}`, {
      activeAt: undefined,
    });
  } else if (a.state === 'nodata') {
    move('inactive', 'data-returned', `data returned: ${description}`, { activeAt: undefined });
  } else if (a.state === 'firing') {
    const since = a.keepFiringSince ?? now;
    if (policy.keepFiringForMs === 0) {
      move('resolved', 'condition-false', description, resolvedPatch(now));
    } else if (now - since >= policy.keepFiringForMs) {
      move(
        'resolved',
        'keep-firing-elapsed',
        `${description}; clear for ${formatDuration(now - since)} (keepFiringFor: ${formatDuration(policy.keepFiringForMs)})`,
        resolvedPatch(now),
      );
    } else if (a.keepFiringSince === undefined) {
      a = { ...a, keepFiringSince: now };
    }
  }
  return finish(prev, a, transitions, policy, now);
}

const resolvedPatch = (now: number): Partial<AlertRecord> => ({
  resolvedAt: now,
  keepFiringSince: undefined,
  activeAt: undefined,
  ack: undefined,
});

/** Flap detection on the recent state changes, then whether the record needs writing. */
function finish(
  prev: AlertRecord,
  current: AlertRecord,
  transitions: AlertTransition[],
  policy: StepPolicy,
  now: number,
  forceWrite = false,
): StepResult {
  let a = { ...current, changes: current.changes.filter((t) => now - t < policy.flapping.windowMs) };
  const count = a.changes.length;
  const flap = (flapping: 'started' | 'ended', code: string, message: string) => {
    const seq = a.seq + 1;
    transitions.push({
      alertId: a.id,
      ruleId: a.ruleId,
      seq,
      from: a.state,
      to: a.state,
      at: now,
      value: a.value,
      reason: reason(code, message),
      flapping,
    });
    a = { ...a, seq, flapping: flapping === 'started' };
  };
  const window = formatDuration(policy.flapping.windowMs);
  if (!a.flapping && count > policy.flapping.maxChanges) {
    flap(
      'started',
      'flapping-started',
      `changed state ${count} times in ${window} (more than ${policy.flapping.maxChanges}); notifications are held until it settles`,
    );
  } else if (a.flapping && count <= Math.floor(policy.flapping.maxChanges / 2)) {
    flap('ended', 'flapping-ended', `changed state ${count} times in the last ${window}; it has settled (${a.state})`);
  }
  const changed =
    forceWrite ||
    transitions.length > 0 ||
    a.keepFiringSince !== prev.keepFiringSince ||
    a.changes.length !== prev.changes.length ||
    ((isActive(a.state) || a.state === 'nodata') && a.value !== prev.value);
  return { next: a, transitions, changed };
}
