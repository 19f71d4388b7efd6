import type { ProbeResponse } from '../probing/model.js';
import { type Reason, reason } from '../reason.js';
import { type CanaryMetricInput, canaryStep } from './check-canary.js';
import { errorBudgetStep, newErrorsStep } from './check-end.js';
import { healthStep } from './check-health.js';
import { metricsStep } from './check-metrics.js';
import { type PerformanceObservation, performanceStep } from './check-performance.js';
import type { NewErrorCandidate, SloBurn } from './ports.js';
import {
  type CheckName,
  type CheckState,
  type DeliveryState,
  deadlineOf,
  endWindowSeconds,
  type FiringAlert,
  type VerificationRecord,
} from './record.js';
import { verdictOf } from './verdict.js';

/**
 * The one pure step function of a verification: (record, what was observed for the checks now due, now) →
 * (the next record, the deliveries to make now). No I/O and no clock of its own; `run-step.ts` reads the
 * observations through the ports, applies this, performs the actions and writes the record conditionally.
 */
export const TIMED_CHECKS = ['health', 'metrics', 'performance', 'canary'] as const satisfies readonly CheckName[];
export const END_CHECKS = ['errorBudget', 'newErrors'] as const satisfies readonly CheckName[];

export interface StepOptions {
  /** The smallest wait between two steps (`VIGIL_VERIFY_MIN_INTERVAL_SECONDS`). */
  readonly minIntervalMs: number;
}

export interface Observations {
  readonly health?: ProbeResponse;
  /** Required metric label → whether this version sent data. */
  readonly metrics?: Readonly<Record<string, boolean>>;
  readonly performance?: PerformanceObservation;
  readonly canary?: readonly CanaryMetricInput[];
  readonly errorBudget?: SloBurn | { readonly unknown: true; readonly reason: string };
  readonly newErrors?: readonly NewErrorCandidate[];
  /** Alerts of the service firing now (accumulated over the steps: "fired during the window"). */
  readonly alerts?: readonly FiringAlert[];
  /** A due check whose data could not be read (CloudWatch down, say): retried, then inconclusive. */
  readonly failures?: Readonly<Partial<Record<CheckName, string>>>;
}

/** Reads of one check that may fail in a row before it ends inconclusive (a verification never hangs). */
export const MAX_READ_FAILURES = 3;

export type StepAction = { readonly kind: 'publish' } | { readonly kind: 'webhook'; readonly url: string };

export interface StepResult {
  readonly record: VerificationRecord;
  readonly actions: readonly StepAction[];
}

export const DELIVERY_LIMITS = { maxAttempts: 5, firstBackoffMs: 5_000 } as const;

const timedDecided = (checks: VerificationRecord['checks']) =>
  TIMED_CHECKS.every((n) => checks[n] === undefined || checks[n]?.status !== 'running');

/** The checks that need observations at `now`. End checks wait until every timed check is decided. */
export function dueChecks(record: VerificationRecord, now: number): CheckName[] {
  if (record.status !== 'running') return [];
  const due: CheckName[] = [];
  for (const name of TIMED_CHECKS) {
    const c = record.checks[name];
    if (c?.status === 'running' && (c.nextAt ?? 0) <= now) due.push(name);
  }
  if (timedDecided(record.checks)) {
    for (const name of END_CHECKS) {
      const c = record.checks[name];
      if (c?.status === 'running' && (c.nextAt ?? 0) <= now) due.push(name);
    }
  }
  return due;
}

function mergeAlerts(seen: readonly FiringAlert[], now: readonly FiringAlert[] | undefined): FiringAlert[] {
  const byId = new Map(seen.map((a) => [a.id, a]));
  for (const a of now ?? []) byId.set(a.id, a);
  return [...byId.values()].slice(0, 50);
}

const stopped = (why: Reason, now: number): CheckState => ({
  status: 'inconclusive',
  reasons: [why],
  evidence: {},
  decidedAt: now,
});

export function step(record: VerificationRecord, obs: Observations, now: number, options: StepOptions): StepResult {
  const base = { ...record, step: record.step + 1, updatedAt: now };
  if (record.status === 'done') return deliveriesStep(base, now);

  const req = record.request;
  const startedAt = record.createdAt;
  const checks: Partial<Record<CheckName, CheckState>> = { ...record.checks };
  const due = new Set(dueChecks(record, now));
  const c = req.checks;
  if (due.has('health') && c.health && req.deployUrl && obs.health && checks.health) {
    checks.health = healthStep(
      checks.health,
      c.health,
      req.deployUrl,
      obs.health,
      startedAt,
      now,
      options.minIntervalMs,
    );
  }
  if (due.has('metrics') && c.metrics && obs.metrics && checks.metrics) {
    checks.metrics = metricsStep(
      checks.metrics,
      c.metrics,
      req.version,
      obs.metrics,
      startedAt,
      now,
      options.minIntervalMs,
    );
  }
  if (due.has('performance') && c.performance && obs.performance) {
    checks.performance = performanceStep(c.performance, req.version, obs.performance, now);
  }
  if (due.has('canary') && c.canary && obs.canary && checks.canary) {
    checks.canary = canaryStep(checks.canary, c.canary, req.version, obs.canary, startedAt, now);
  }
  if (due.has('errorBudget') && c.errorBudget && obs.errorBudget) {
    checks.errorBudget = errorBudgetStep(c.errorBudget.slo, obs.errorBudget, endWindowSeconds(req), now);
  }
  if (due.has('newErrors') && c.newErrors && obs.newErrors) {
    checks.newErrors = newErrorsStep(
      obs.newErrors,
      c.newErrors.critical,
      req.version,
      c.canary?.baselineVersion,
      startedAt,
      now,
    );
  }
  for (const [name, message] of Object.entries(obs.failures ?? {}) as [CheckName, string][]) {
    const s = checks[name];
    if (s?.status !== 'running' || !due.has(name)) continue;
    const failures = Number((s.evidence as { readFailures?: number }).readFailures ?? 0) + 1;
    checks[name] =
      failures >= MAX_READ_FAILURES
        ? {
            status: 'inconclusive',
            reasons: [reason('data-unavailable', `its data could not be read ${failures} times in a row: ${message}`)],
            evidence: { ...s.evidence, readFailures: failures },
            decidedAt: now,
          }
        : {
            ...s,
            evidence: { ...s.evidence, readFailures: failures, lastReadError: message },
            nextAt: now + options.minIntervalMs,
          };
  }
  const alerts = mergeAlerts(record.alerts, obs.alerts);

  // A failed check decides the verdict: the others stop, so CI hears about it at once.
  const failed = (Object.entries(checks) as [CheckName, CheckState][]).find(([, s]) => s.status === 'fail');
  const pastDeadline = now >= deadlineOf(record);
  for (const [name, s] of Object.entries(checks) as [CheckName, CheckState][]) {
    if (s.status !== 'running') continue;
    if (failed)
      checks[name] = stopped(reason('stopped', `not finished: the verification ended when ${failed[0]} failed`), now);
    else if (pastDeadline)
      checks[name] = stopped(reason('deadline', "not finished within the verification's longest allowed time"), now);
  }
  const running = (Object.values(checks) as CheckState[]).some((s) => s.status === 'running');
  if (running) {
    return {
      record: { ...base, checks, alerts, nextStepAt: nextDue(checks, deadlineOf(record), now, options) },
      actions: [],
    };
  }
  return finish({ ...base, checks, alerts }, now, []);
}

/** When the next step is due: the earliest running check (end checks once the timed ones are decided). */
function nextDue(checks: VerificationRecord['checks'], deadline: number, now: number, options: StepOptions): number {
  const decided = timedDecided(checks);
  let next = deadline;
  for (const [name, s] of Object.entries(checks) as [CheckName, CheckState][]) {
    if (s.status !== 'running') continue;
    if ((END_CHECKS as readonly string[]).includes(name) && !decided) continue;
    next = Math.min(next, s.nextAt ?? now);
  }
  return Math.max(next, now + (decided ? 0 : options.minIntervalMs));
}

function finish(record: VerificationRecord, now: number, extra: readonly Reason[], forced?: 'fail'): StepResult {
  const verdict = verdictOf(record, record.checks, record.alerts, now, extra, forced);
  const deliveries: { deployments?: DeliveryState; webhook?: DeliveryState } = {
    deployments: { state: 'pending', attempts: 0, nextAt: now },
  };
  if (verdict.rollback && record.request.rollback.webhook)
    deliveries.webhook = { state: 'pending', attempts: 0, nextAt: now };
  return deliveriesStep({ ...record, status: 'done', verdict, deliveries, nextStepAt: now }, now);
}

/** The deliveries due now become actions; the next step is the earliest pending retry. */
function deliveriesStep(record: VerificationRecord, now: number): StepResult {
  const actions: StepAction[] = [];
  const d = record.deliveries;
  if (d.deployments?.state === 'pending' && (d.deployments.nextAt ?? 0) <= now) actions.push({ kind: 'publish' });
  const url = record.request.rollback.webhook;
  if (url && d.webhook?.state === 'pending' && (d.webhook.nextAt ?? 0) <= now) actions.push({ kind: 'webhook', url });
  return { record: { ...record, nextStepAt: pendingAt(record.deliveries) }, actions };
}

function pendingAt(d: VerificationRecord['deliveries']): number | undefined {
  const at = [d.deployments, d.webhook].filter((x) => x?.state === 'pending').map((x) => x?.nextAt ?? 0);
  return at.length ? Math.min(...at) : undefined;
}

export interface DeliveryOutcome {
  readonly kind: StepAction['kind'];
  readonly ok: boolean;
  readonly detail: string;
}

/** Records what the deliveries did; a failure is retried with doubling backoff, then shown as `failed`. */
export function settleDeliveries(
  record: VerificationRecord,
  outcomes: readonly DeliveryOutcome[],
  now: number,
  options: StepOptions,
): VerificationRecord {
  const deliveries = { ...record.deliveries };
  for (const o of outcomes) {
    const key = o.kind === 'publish' ? 'deployments' : 'webhook';
    const prev = deliveries[key] ?? { state: 'pending', attempts: 0 };
    const attempts = prev.attempts + 1;
    if (o.ok) {
      deliveries[key] = { state: 'sent', attempts, sentAt: now, detail: o.detail };
    } else if (attempts >= DELIVERY_LIMITS.maxAttempts) {
      deliveries[key] = { state: 'failed', attempts, lastError: o.detail };
    } else {
      const backoff = Math.max(options.minIntervalMs, DELIVERY_LIMITS.firstBackoffMs * 2 ** (attempts - 1));
      deliveries[key] = { state: 'pending', attempts, lastError: o.detail, nextAt: now + backoff };
    }
  }
  return { ...record, deliveries, nextStepAt: pendingAt(deliveries) };
}

/**
 * Ends a running verification at once as `fail`, from a person or a pipeline: the checks still running
 * stop, the verdict says who aborted and why, and the rollback decision follows `rollback.onVerdict`.
 */
export function abortVerification(record: VerificationRecord, by: string, why: string, now: number): StepResult {
  const checks: Partial<Record<CheckName, CheckState>> = { ...record.checks };
  for (const [name, s] of Object.entries(checks) as [CheckName, CheckState][]) {
    if (s.status === 'running') checks[name] = stopped(reason('aborted', `not finished: aborted by ${by}`), now);
  }
  const aborted = reason('aborted', `aborted by ${by}: ${why}`);
  const base = { ...record, step: record.step + 1, updatedAt: now, checks, abort: { by, reason: why, at: now } };
  return finish(base, now, [aborted], 'fail');
}
