import type { Notification, Notifier } from '../notify.js';
import { eachLimited } from './each-limited.js';
import type { OutboxRecord } from './model.js';
import type { DeadLetterQueue, OutboxStore } from './ports.js';

/**
 * Delivers due outbox records. Each is first claimed (a conditional write), so two dispatchers running at
 * once never both publish it; a failed publish counts an attempt and is retried with exponential backoff
 * by a later run; after `maxAttempts` the record is `dead` and goes to the dead-letter queue.
 *
 * The guarantee: exactly one publish per record while publishes return; if a process dies between a
 * publish and marking the record sent, the claim expires and the record is published again — so
 * receivers deduplicate on `notificationId`, which is the same both times.
 */
export interface DispatchOptions {
  /** @default 8 */
  readonly maxAttempts: number;
  /** Delay after the first failure; doubles with each further one. @default 30_000 */
  readonly backoffBaseMs: number;
  /** @default 1_800_000 */
  readonly backoffMaxMs: number;
  /** How long a claim lasts (longer than a publish can take). @default 60_000 */
  readonly claimMs: number;
  /** Records delivered per run. @default 100 */
  readonly batchSize: number;
  /** Publishes in flight at once. @default 10 */
  readonly concurrency: number;
}

export const DEFAULT_DISPATCH_OPTIONS: DispatchOptions = {
  maxAttempts: 8,
  backoffBaseMs: 30_000,
  backoffMaxMs: 1_800_000,
  claimMs: 60_000,
  batchSize: 100,
  concurrency: 10,
};

export interface DispatchDeps {
  readonly outbox: OutboxStore;
  readonly notifier: Notifier;
  readonly deadLetters: DeadLetterQueue;
  readonly now: () => number;
  readonly options?: Partial<DispatchOptions>;
  readonly log?: (message: string, fields: Record<string, unknown>) => void;
}

export interface DispatchSummary {
  readonly sent: number;
  readonly failed: number;
  readonly dead: number;
  /** Claimed by another dispatcher first. */
  readonly skipped: number;
}

/** The delay before attempt `attempts + 1`, after `attempts` failures: base × 2^(attempts−1), capped. */
export function backoffMs(attempts: number, o: Pick<DispatchOptions, 'backoffBaseMs' | 'backoffMaxMs'>): number {
  return Math.min(o.backoffMaxMs, o.backoffBaseMs * 2 ** Math.max(0, attempts - 1));
}

export const notificationOf = (r: OutboxRecord): Notification => ({
  id: r.id,
  topic: r.topic,
  subject: r.subject,
  message: r.message,
  attributes: r.attributes,
  at: r.createdAt,
});

type Outcome = 'sent' | 'failed' | 'dead' | 'skipped';

async function deliver(record: OutboxRecord, deps: DispatchDeps, o: DispatchOptions): Promise<Outcome> {
  const now = deps.now();
  if (!(await deps.outbox.claim(record, now, now + o.claimMs))) return 'skipped';
  let error: string | undefined;
  try {
    const delivery = await deps.notifier.publish(notificationOf(record));
    if (!delivery.ok) error = delivery.detail ?? 'delivery failed';
  } catch (e) {
    error = (e as Error).message || String(e);
  }
  const attempts = record.attempts + 1;
  const done = deps.now();
  const base = { ...record, attempts, claimedUntil: undefined };
  const read = { status: record.status, attempts: record.attempts };
  if (error === undefined) {
    await deps.outbox.update(
      { ...base, status: 'sent', sentAt: done, nextAttemptAt: undefined, lastError: undefined },
      read,
    );
    return 'sent';
  }
  if (attempts >= o.maxAttempts) {
    const dead: OutboxRecord = { ...base, status: 'dead', nextAttemptAt: undefined, lastError: error };
    await deps.outbox.update(dead, read);
    try {
      await deps.deadLetters.send(dead);
    } catch (e) {
      deps.log?.('dead-letter send failed: the record stays dead in the notification log', {
        notificationId: record.id,
        error: (e as Error).message,
      });
    }
    deps.log?.('notification dead after its last attempt', { notificationId: record.id, attempts, error });
    return 'dead';
  }
  const nextAttemptAt = done + backoffMs(attempts, o);
  await deps.outbox.update({ ...base, status: 'pending', nextAttemptAt, lastError: error }, read);
  deps.log?.('notification publish failed; retried later', {
    notificationId: record.id,
    attempts,
    nextAttemptAt,
    error,
  });
  return 'failed';
}

export async function dispatchDue(deps: DispatchDeps): Promise<DispatchSummary> {
  const o = { ...DEFAULT_DISPATCH_OPTIONS, ...deps.options };
  const due = (await deps.outbox.due(deps.now(), o.batchSize)).filter((r) => r.status === 'pending');
  const outcomes = await eachLimited(due, o.concurrency, (r) => deliver(r, deps, o));
  const count = (x: Outcome) => outcomes.filter((y) => y === x).length;
  return { sent: count('sent'), failed: count('failed'), dead: count('dead'), skipped: count('skipped') };
}
