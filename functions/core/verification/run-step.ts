import { ConflictError, NotFoundError } from '../errors.js';
import { type ObserveDeps, observe } from './observe.js';
import type { DeploymentPublisher, StepMessage, StepQueue, VerificationStore, WebhookSender } from './ports.js';
import { newVerification, type VerificationRecord } from './record.js';
import type { VerificationRequest } from './request-schema.js';
import {
  abortVerification,
  type DeliveryOutcome,
  dueChecks,
  type StepOptions,
  type StepResult,
  settleDeliveries,
  step,
} from './step.js';

/**
 * Runs one step message, exactly once in effect although messages arrive at least once:
 * - a message for a step already taken (`message.step < record.step`) is a duplicate: dropped;
 * - a message ahead of the record (its write not visible yet) is retried later by the queue;
 * - the next step's message is sent *before* the record is written, and the write is conditional on the
 *   revision read: a crash before the write leaves the record as it was and the queue redelivers this step
 *   (resumed, nothing recorded twice); a crash after it leaves the next message already queued (nothing lost);
 *   a lost race (an abort, a duplicate) drops this step's result and its extra message is a duplicate.
 */
export interface FlowDeps extends ObserveDeps {
  readonly store: VerificationStore;
  readonly queue: StepQueue;
  readonly publisher: DeploymentPublisher;
  readonly webhook: WebhookSender;
  readonly now: () => number;
  readonly options: StepOptions;
}

/** A step message the queue should deliver again later (SQS: the message becomes visible again). */
export class RetryLaterError extends Error {
  override name = 'RetryLaterError';
}

export type StepOutcome = 'done' | 'duplicate' | 'resumed' | 'conflict' | 'finished-already';

/** A step this long overdue has lost its message (see `runStep`); a late duplicate queues it again. */
export const OVERDUE_MS = 60_000;

export const webhookBody = (record: VerificationRecord): string => JSON.stringify(verdictMessage(record));

/** What the deployments topic and the rollback webhook receive. */
export function verdictMessage(record: VerificationRecord): Record<string, unknown> {
  const r = record.request;
  return {
    type: 'vigil.verification',
    id: record.id,
    service: r.service,
    environment: r.environment,
    version: r.version,
    ...(r.checks.canary ? { baselineVersion: r.checks.canary.baselineVersion } : {}),
    verdict: record.verdict?.verdict,
    score: record.verdict?.score,
    rollback: record.verdict?.rollback,
    rollbackReason: record.verdict?.rollbackReason,
    reasons: record.verdict?.reasons,
    startedAt: new Date(record.createdAt).toISOString(),
    decidedAt: record.verdict ? new Date(record.verdict.decidedAt).toISOString() : undefined,
    ...(record.abort ? { abort: record.abort } : {}),
  };
}

const delaySeconds = (at: number | undefined, now: number) => Math.max(0, Math.ceil(((at ?? now) - now) / 1_000));

async function perform(result: StepResult, deps: FlowDeps): Promise<DeliveryOutcome[]> {
  return Promise.all(
    result.actions.map(async (a): Promise<DeliveryOutcome> => {
      try {
        const out =
          a.kind === 'publish'
            ? await deps.publisher.publish(result.record)
            : await deps.webhook.post(a.url, webhookBody(result.record), result.record.id);
        return { kind: a.kind, ...out };
      } catch (error) {
        return { kind: a.kind, ok: false, detail: (error as Error).message };
      }
    }),
  );
}

/** Sends the next step's message (if any is due), then writes the record on its revision. */
async function commit(next: VerificationRecord, deps: FlowDeps): Promise<'written' | 'conflict'> {
  if (next.nextStepAt !== undefined) {
    await deps.queue.send({ id: next.id, step: next.step }, delaySeconds(next.nextStepAt, deps.now()));
  }
  return deps.store.put(next);
}

export async function runStep(message: StepMessage, deps: FlowDeps): Promise<StepOutcome> {
  const record = await deps.store.get(message.id);
  if (!record) throw new RetryLaterError(`verification ${message.id} is not stored (yet)`);
  if (message.step < record.step) {
    // A duplicate. If the record's own next step is long overdue, its message was lost (a process ended
    // between a write and its send): queue it again. A duplicate arriving on time (before its successor is
    // due) never does, so duplicates do not multiply.
    const now = deps.now();
    if (record.nextStepAt !== undefined && now > record.nextStepAt + OVERDUE_MS) {
      await deps.queue.send({ id: record.id, step: record.step }, 0);
      return 'resumed';
    }
    return 'duplicate';
  }
  if (message.step > record.step)
    throw new RetryLaterError(`step ${message.step} is ahead of the stored step ${record.step}`);
  if (record.status === 'done' && record.nextStepAt === undefined) return 'finished-already';
  const now = deps.now();
  const obs = await observe(record, dueChecks(record, now), deps, now);
  const result = step(record, obs, now, deps.options);
  const outcomes = await perform(result, deps);
  const next = outcomes.length ? settleDeliveries(result.record, outcomes, deps.now(), deps.options) : result.record;
  return (await commit(next, deps)) === 'written' ? 'done' : 'conflict';
}

/** `POST /v1/verifications`: the record, then its first step at once. */
export async function startVerification(
  id: string,
  request: VerificationRequest,
  deps: Pick<FlowDeps, 'store' | 'queue' | 'now'>,
): Promise<VerificationRecord> {
  const record = newVerification(id, request, deps.now());
  if ((await deps.store.create(record)) === 'exists') throw new ConflictError(`verification ${id} exists`);
  await deps.queue.send({ id, step: 0 }, 0);
  return record;
}

/** `POST /v1/verifications/{id}/abort`: ends it `fail` at once; a lost race with a step is retried. */
export async function abortRunning(
  id: string,
  by: string,
  why: string,
  deps: Pick<FlowDeps, 'store' | 'queue' | 'now' | 'options'>,
): Promise<VerificationRecord> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const record = await deps.store.get(id);
    if (!record) throw new NotFoundError(`no verification with id ${id}`);
    if (record.status === 'done') {
      throw new ConflictError(`verification ${id} has already ended with the verdict ${record.verdict?.verdict}`);
    }
    const result = abortVerification(record, by, why, deps.now());
    // The deliveries run in the worker's next step, like any verdict's. Written first, then queued: a
    // message queued before a write that then lost its race would itself be a step, and race the next try.
    // (Were the process to end between the two, the step message already queued for this verification
    // finds its step overdue and queues it again: see `runStep`.)
    const next: VerificationRecord = { ...result.record, nextStepAt: deps.now() };
    if ((await deps.store.put(next)) === 'written') {
      await deps.queue.send({ id, step: next.step }, 0);
      return { ...next, rev: next.rev + 1 };
    }
  }
  throw new ConflictError(`verification ${id} changed during the abort five times; try again`);
}
