import { describe, expect, it } from 'vitest';
import { backoffMs, DEFAULT_DISPATCH_OPTIONS, dispatchDue } from '../../../functions/core/alerting/dispatch.js';
import type { OutboxRecord } from '../../../functions/core/alerting/model.js';
import type { OutboxStore } from '../../../functions/core/alerting/ports.js';
import type { Notification } from '../../../functions/core/notify.js';
import { T0 } from './pipeline-fixtures.js';

/** In-memory outbox for the dispatcher's logic; the DynamoDB one is tested against dynalite. */
function memoryOutbox(records: OutboxRecord[]): OutboxStore & { rows: Map<string, OutboxRecord> } {
  const rows = new Map(records.map((r) => [r.id, r]));
  return {
    rows,
    create: async (r) => {
      if (rows.has(r.id)) return 'exists';
      rows.set(r.id, r);
      return 'created';
    },
    due: async (now) =>
      [...rows.values()].filter(
        (r) => (r.status === 'pending' || r.status === 'held') && (r.nextAttemptAt ?? Infinity) <= now,
      ),
    update: async (r, expected) => {
      const cur = rows.get(r.id);
      if (cur?.status !== expected.status || cur.attempts !== expected.attempts) return false;
      rows.set(r.id, r);
      return true;
    },
    claim: async (r, now, until) => {
      const cur = rows.get(r.id);
      if (!cur || cur.attempts !== r.attempts || cur.status !== 'pending' || (cur.claimedUntil ?? 0) > now)
        return false;
      rows.set(r.id, { ...cur, claimedUntil: until });
      return true;
    },
    get: async (id) => rows.get(id),
    list: async () => ({ items: [...rows.values()] }),
    forAlert: async (id) => [...rows.values()].filter((r) => r.alertId === id),
  };
}

const record = (id: string): OutboxRecord => ({
  id,
  alertId: 'a',
  ruleId: 'r',
  kind: 'firing',
  topic: 'critical',
  subject: 's',
  message: {},
  attributes: { notificationId: id },
  status: 'pending',
  decisions: [],
  createdAt: T0,
  attempts: 0,
  nextAttemptAt: T0,
  lastError: undefined,
  sentAt: undefined,
});

describe('dispatcher', () => {
  it('backs off exponentially, capped', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffMs(n, DEFAULT_DISPATCH_OPTIONS) / 1000)).toEqual([
      30, 60, 120, 240, 480, 960, 1800, 1800,
    ]);
  });

  it('retries a failing publish with backoff, then marks it dead and sends it to the DLQ', async () => {
    let now = T0;
    const outbox = memoryOutbox([record('n1')]);
    const dead: OutboxRecord[] = [];
    const attemptsAt: number[] = [];
    const deps = {
      outbox,
      notifier: {
        publish: async (_n: Notification) => {
          attemptsAt.push(now);
          throw new Error('SNS is down');
        },
      },
      deadLetters: { send: async (r: OutboxRecord) => void dead.push(r) },
      now: () => now,
      options: { maxAttempts: 4 },
    };
    for (let i = 0; i < 30; i++) {
      await dispatchDue(deps);
      now += 60_000;
    }
    // Attempt 1 at 0; 30 s later is due at the 1 min run; then 60 s (2 min), 120 s (4 min); then dead.
    expect(attemptsAt.map((t) => (t - T0) / 60_000)).toEqual([0, 1, 2, 4]);
    expect(outbox.rows.get('n1')).toMatchObject({ status: 'dead', attempts: 4, lastError: 'SNS is down' });
    expect(dead.map((r) => [r.id, r.status, r.attempts])).toEqual([['n1', 'dead', 4]]);
  });

  it('a delivery that reports failure counts as a failed attempt', async () => {
    const outbox = memoryOutbox([record('n1')]);
    const summary = await dispatchDue({
      outbox,
      notifier: { publish: async () => ({ via: 'sns', ok: false, detail: 'no topic configured for critical' }) },
      deadLetters: { send: async () => undefined },
      now: () => T0,
    });
    expect(summary).toEqual({ sent: 0, failed: 1, dead: 0, skipped: 0 });
    expect(outbox.rows.get('n1')).toMatchObject({
      status: 'pending',
      attempts: 1,
      nextAttemptAt: T0 + 30_000,
      lastError: 'no topic configured for critical',
    });
  });

  it('two dispatchers at once publish each record once', async () => {
    const outbox = memoryOutbox([record('n1'), record('n2'), record('n3')]);
    const published: string[] = [];
    const deps = {
      outbox,
      notifier: {
        publish: async (n: Notification) => {
          published.push(n.id);
          return { via: 'sns' as const, ok: true };
        },
      },
      deadLetters: { send: async () => undefined },
      now: () => T0,
    };
    const [a, b] = await Promise.all([dispatchDue(deps), dispatchDue(deps)]);
    expect(published.sort()).toEqual(['n1', 'n2', 'n3']);
    expect(a.sent + b.sent).toBe(3);
    expect(a.skipped + b.skipped).toBe(3);
    expect([...outbox.rows.values()].map((r) => [r.status, r.sentAt])).toEqual([
      ['sent', T0],
      ['sent', T0],
      ['sent', T0],
    ]);
  });
});
