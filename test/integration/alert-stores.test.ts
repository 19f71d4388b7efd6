import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamodb.js';
import { DynamoDbAlertStore } from '../../functions/adapters/dynamodb-alert-store.js';
import { DynamoDbOutboxStore } from '../../functions/adapters/dynamodb-outbox-store.js';
import { DynamoDbPipelineState } from '../../functions/adapters/dynamodb-pipeline-state.js';
import { DynamoDbSilenceStore } from '../../functions/adapters/dynamodb-silence-store.js';
import type { OutboxRecord } from '../../functions/core/alerting/model.js';
import { type LocalDynamo, startLocalDynamo } from '../../lib/local/dynamo.js';
import { alert, notified, silence, T0 } from '../unit/alerting/pipeline-fixtures.js';

/** The alerting stores against dynalite through the real SDK: versioned alerts, the outbox, silences, state. */
let dynamo: LocalDynamo;
let db: ReturnType<typeof documentClient>;
beforeAll(async () => {
  dynamo = await startLocalDynamo({});
  db = documentClient({ endpoint: dynamo.endpoint });
});
afterAll(() => dynamo?.close());

const record = (id: string, over: Partial<OutboxRecord> = {}): OutboxRecord => ({
  id,
  alertId: id.split('#')[0]!,
  ruleId: 'latency',
  kind: 'firing',
  topic: 'critical',
  subject: `[FIRING] ${id}`,
  message: { notificationId: id, alert: { id, value: null } },
  attributes: { service: 'checkout', notificationId: id },
  status: 'pending',
  decisions: [{ code: 'send', message: 'sent' }],
  createdAt: T0,
  attempts: 0,
  nextAttemptAt: T0,
  lastError: undefined,
  sentAt: undefined,
  seq: 1,
  ...over,
});

describe('DynamoDbAlertStore', () => {
  it('writes on the version read, and refuses a stale or duplicate write', async () => {
    const store = new DynamoDbAlertStore(db, dynamo.tables.alerts);
    const a = alert({ id: 'versioned', version: 0, seq: 1 });
    expect(await store.put(a)).toBe('written');
    expect(await store.put(a)).toBe('conflict'); // a second "new" alert with the same id
    expect((await store.get('versioned'))?.version).toBe(1);
    const next = { ...a, state: 'resolved' as const, seq: 2, version: 1 };
    const [x, y] = await Promise.all([store.put(next), store.put({ ...next, value: 1 })]);
    expect([x, y].sort()).toEqual(['conflict', 'written']);
    expect(await store.put({ ...next, version: 1 })).toBe('conflict'); // stale
    const stored = await store.get('versioned');
    expect(stored).toMatchObject({ id: 'versioned', state: 'resolved', seq: 2, version: 2 });
    expect(stored).not.toHaveProperty('pk');
    expect((await store.list()).map((l) => l.id)).toContain('versioned');
  });
});

describe('DynamoDbOutboxStore', () => {
  const store = () => new DynamoDbOutboxStore(db, dynamo.tables.alerts, 30);

  it('creates a record once by its id', async () => {
    const s = store();
    expect(await s.create(record('once#1'))).toBe('created');
    expect(await s.create(record('once#1', { subject: 'second writer' }))).toBe('exists');
    expect((await s.get('once#1'))?.subject).toBe('[FIRING] once#1');
  });

  it('lists due records (pending and timed holds) and not others', async () => {
    const s = store();
    await s.create(record('due-a#1', { nextAttemptAt: T0 - 1 }));
    await s.create(record('due-b#1', { status: 'held', nextAttemptAt: T0 + 30_000 }));
    await s.create(record('due-c#1', { status: 'suppressed', nextAttemptAt: undefined }));
    await s.create(record('due-d#1', { status: 'held', nextAttemptAt: undefined }));
    const dueNow = (await s.due(T0, 100)).map((r) => r.id);
    expect(dueNow).toContain('due-a#1');
    expect(dueNow).not.toContain('due-b#1');
    expect(dueNow).not.toContain('due-c#1');
    expect(dueNow).not.toContain('due-d#1');
    expect((await s.due(T0 + 30_000, 100)).map((r) => r.id)).toContain('due-b#1');
  });

  it('claims once, updates on the status and attempts read, and leaves the due index when sent', async () => {
    const s = store();
    const r = record('claim#1', { nextAttemptAt: T0 });
    await s.create(r);
    const claims = await Promise.all([s.claim(r, T0, T0 + 60_000), s.claim(r, T0, T0 + 60_000)]);
    expect(claims.sort()).toEqual([false, true]);
    // A claim that ran out can be taken again.
    expect(await s.claim(r, T0 + 60_000, T0 + 120_000)).toBe(true);
    const sent = { ...r, status: 'sent' as const, attempts: 1, sentAt: T0, nextAttemptAt: undefined };
    expect(await s.update(sent, { status: 'held', attempts: 0 })).toBe(false);
    expect(await s.update(sent, { status: 'pending', attempts: 0 })).toBe(true);
    expect(await s.update(sent, { status: 'pending', attempts: 0 })).toBe(false);
    expect((await s.due(T0 + 120_000, 100)).map((x) => x.id)).not.toContain('claim#1');
    expect(await s.get('claim#1')).toMatchObject({ status: 'sent', attempts: 1, sentAt: T0 });
    expect(await s.claim(sent, T0 + 200_000, T0 + 300_000)).toBe(false);
  });

  it('lists the log newest first, by topic, with a cursor; and one alert oldest first', async () => {
    const s = store();
    for (let i = 0; i < 5; i++) {
      await s.create(
        record(`log-${i}#1`, { createdAt: T0 + 1_000_000 + i, topic: i % 2 ? 'warning' : 'critical', status: 'sent' }),
      );
    }
    const first = await s.list({ limit: 2, now: T0 });
    expect(first.items.map((r) => r.id)).toEqual(['log-4#1', 'log-3#1']);
    const second = await s.list({ limit: 2, cursor: first.nextCursor, now: T0 });
    expect(second.items.map((r) => r.id)).toEqual(['log-2#1', 'log-1#1']);
    const warnings = await s.list({ limit: 10, topic: 'warning', now: T0 });
    expect(warnings.items.map((r) => r.id)).toEqual(['log-3#1', 'log-1#1']);
    expect(warnings.items[0]).not.toHaveProperty('gsi1pk');
    // Expired records are not listed (dynalite never deletes them).
    expect((await s.list({ limit: 10, now: T0 + 31 * 86_400_000 })).items).toEqual([]);

    await s.create(record('one-alert#2', { createdAt: T0 + 5 }));
    await s.create(record('one-alert#1', { createdAt: T0 + 1 }));
    await s.create(record('one-alert#2#repeat-1', { createdAt: T0 + 9, kind: 'repeat' }));
    await s.create(record('one-alert-other#1', { alertId: 'one-alert-other' }));
    expect((await s.forAlert('one-alert', T0)).map((r) => r.id)).toEqual([
      'one-alert#1',
      'one-alert#2',
      'one-alert#2#repeat-1',
    ]);
  });
});

describe('DynamoDbSilenceStore', () => {
  it('stores, lists those not ended, and expires', async () => {
    const s = new DynamoDbSilenceStore(db, dynamo.tables.alerts, 30);
    const weekly = silence({
      id: 'maint',
      weekly: [{ days: ['sun'], start: '22:00', end: '02:00' }],
      timeZone: 'Europe/Berlin',
    });
    await s.put(silence({ id: 'now' }));
    await s.put(weekly);
    await s.put(silence({ id: 'old', startsAt: T0 - 3_600_000, endsAt: T0 - 1 }));
    expect((await s.list(T0)).map((x) => x.id).sort()).toEqual(['maint', 'now']);
    expect(await s.get('maint')).toEqual(weekly);
    expect(await s.expire('now', T0)).toBe(true);
    expect((await s.get('now'))?.endsAt).toBe(T0);
    expect((await s.list(T0)).map((x) => x.id)).toEqual(['maint']);
    expect(await s.expire('old', T0)).toBe(true); // already ended: stays ended at its own end
    expect((await s.get('old'))?.endsAt).toBe(T0 - 1);
    expect(await s.expire('missing', T0)).toBe(false);
  });
});

describe('DynamoDbPipelineState', () => {
  it('saves and loads alert and group state', async () => {
    const s = new DynamoDbPipelineState(db, dynamo.tables.alerts);
    const a = notified('x', { processedSeq: 3, lastAt: T0, firing: { seq: 3, at: T0 } });
    await s.save({ alerts: [a], groups: [{ key: 'critical|service=checkout', flushAt: T0 }] });
    await s.save({ alerts: [{ ...a, repeats: 1 }], groups: [] });
    expect(await s.load()).toEqual({
      alerts: [{ ...a, repeats: 1 }],
      groups: [{ key: 'critical|service=checkout', flushAt: T0 }],
    });
  });
});
