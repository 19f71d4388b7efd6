import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamodb.js';
import { DynamoDbOutboxStore } from '../../functions/adapters/dynamodb-outbox-store.js';
import { TABLES } from '../../functions/catalog/tables.js';
import type { OutboxRecord } from '../../functions/core/alerting/model.js';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';

/** GET /v1/notifications reads the outbox: one entry per notification, with its decisions and delivery state. */
let vigil: TestVigil;
let outbox: DynamoDbOutboxStore;
beforeAll(async () => {
  vigil = await startTestVigil();
  const env = vigil.environmentOf('notifications');
  outbox = new DynamoDbOutboxStore(
    documentClient({ endpoint: env.VIGIL_DYNAMODB_ENDPOINT! }),
    env[TABLES.alerts.envVar]!,
  );
});
afterAll(() => vigil?.close());

const record = (id: string, over: Partial<OutboxRecord>): OutboxRecord => ({
  id,
  alertId: id.split('#')[0]!,
  ruleId: 'latency',
  kind: 'firing',
  topic: 'critical',
  subject: `[FIRING] critical checkout: ${id}`,
  message: { notificationId: id },
  attributes: { service: 'checkout', notificationId: id },
  status: 'sent',
  decisions: [
    { code: 'group-flush', message: 'joins the flush' },
    { code: 'send', message: 'no stage held or suppressed it: sent to critical' },
  ],
  createdAt: Date.now(),
  attempts: 1,
  nextAttemptAt: undefined,
  lastError: undefined,
  sentAt: Date.now(),
  seq: 1,
  ...over,
});

describe('notification log', () => {
  it('lists outbox records newest first with their reason, decisions and delivery', async () => {
    const now = Date.now();
    await outbox.create(record('latency:checkout#1', { createdAt: now - 2_000 }));
    await outbox.create(
      record('latency:cart#1', {
        createdAt: now - 1_000,
        status: 'suppressed',
        sentAt: undefined,
        attempts: 0,
        decisions: [{ code: 'silenced', message: 'silenced by sil-1 until …' }],
      }),
    );
    await outbox.create(
      record('errors:search#1', {
        createdAt: now,
        topic: 'warning',
        status: 'pending',
        sentAt: undefined,
        attempts: 2,
        nextAttemptAt: now + 60_000,
        lastError: 'Service Unavailable',
      }),
    );
    const res = await vigil.request('/v1/notifications?limit=10');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: Record<string, unknown>[] };
    expect(
      body.items.map((i) => [i.id, (i.reason as { code: string }).code, i.status, i.attempts, i.lastError]),
    ).toEqual([
      ['errors:search#1', 'send', 'pending', 2, 'Service Unavailable'],
      ['latency:cart#1', 'silenced', 'suppressed', 0, null],
      ['latency:checkout#1', 'send', 'sent', 1, null],
    ]);
    expect(body.items[2]).toMatchObject({
      kind: 'firing',
      topic: 'critical',
      decisions: [{ code: 'group-flush' }, { code: 'send' }],
    });
    const warnings = (await (await vigil.request('/v1/notifications?topic=warning')).json()) as {
      items: { id: string }[];
    };
    expect(warnings.items.map((i) => i.id)).toEqual(['errors:search#1']);
    const bad = await vigil.request('/v1/notifications?topic=pager');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
  });
});
