import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamodb.js';
import { DynamoDbAlertStore } from '../../functions/adapters/dynamodb-alert-store.js';
import type { AlertRecord } from '../../functions/core/alerting/model.js';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';

/**
 * `/v1/alerts` and `/v1/silences` through local mode's gateway and the real handlers. Alerts are written
 * with the evaluator's own store (as an evaluation would), on a clock the test moves.
 */
let vigil: TestVigil;
let store: DynamoDbAlertStore;
const T0 = Date.UTC(2026, 0, 5, 12);
let now = T0;

// biome-ignore lint/suspicious/noExplicitAny: JSON from the API under test
type Json = Record<string, any>;

const alert = (id: string, extra: Partial<AlertRecord> = {}): AlertRecord => ({
  id,
  ruleId: 'checkout-p95',
  labels: { service: 'checkout', route: '/cart', rule: 'checkout-p95', severity: 'critical' },
  annotations: { summary: 'p95 of /cart is 1200 ms' },
  severity: 'critical',
  state: 'firing',
  value: 1200,
  activeAt: T0 - 120_000,
  firedAt: T0 - 60_000,
  resolvedAt: undefined,
  keepFiringSince: undefined,
  lastEvalAt: T0,
  changes: [T0 - 120_000, T0 - 60_000],
  flapping: false,
  ack: undefined,
  manualResolve: undefined,
  seq: 2,
  version: 0,
  ...extra,
});

beforeAll(async () => {
  vigil = await startTestVigil({ VIGIL_MAX_SILENCES: '2' }, { clock: () => now });
  const env = vigil.environmentOf('alerts');
  store = new DynamoDbAlertStore(documentClient({ endpoint: env.VIGIL_DYNAMODB_ENDPOINT! }), env.VIGIL_TABLE_ALERTS!);
  expect(await store.put(alert('a-firing'))).toBe('written');
  expect(
    await store.put(
      alert('a-pending', {
        state: 'pending',
        firedAt: undefined,
        severity: 'warning',
        labels: { service: 'search', rule: 'search-p95', severity: 'warning' },
        ruleId: 'search-p95',
        activeAt: T0 - 30_000,
        seq: 1,
      }),
    ),
  ).toBe('written');
  expect(await store.put(alert('a-inactive', { state: 'inactive', activeAt: undefined, firedAt: undefined }))).toBe(
    'written',
  );
});
afterAll(() => vigil?.close());

async function call(method: string, path: string, json?: unknown, token?: string) {
  const res = await vigil.request(path, {
    method,
    ...(json !== undefined ? { json } : {}),
    ...(token ? { token } : {}),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), body: (text ? JSON.parse(text) : {}) as Json };
}

describe('alerts API', () => {
  it('lists open alerts newest first, filtered by state, service and severity', async () => {
    const all = await call('GET', '/v1/alerts');
    expect(all.body.items.map((a: Json) => a.id)).toEqual(['a-pending', 'a-firing']);
    expect(all.body.items[1]).toMatchObject({
      id: 'a-firing',
      ruleId: 'checkout-p95',
      state: 'firing',
      severity: 'critical',
      value: 1200,
      firedAt: new Date(T0 - 60_000).toISOString(),
      acknowledged: null,
      annotations: { summary: 'p95 of /cart is 1200 ms' },
    });
    const firing = await call('GET', '/v1/alerts?state=firing&service=checkout&severity=critical');
    expect(firing.body.items.map((a: Json) => a.id)).toEqual(['a-firing']);
    expect((await call('GET', '/v1/alerts?state=inactive')).body.items.map((a: Json) => a.id)).toEqual(['a-inactive']);
    expect((await call('GET', '/v1/alerts?service=nope')).body.items).toEqual([]);
  });

  it.each([
    ['/v1/alerts?state=burning', 'query.state'],
    ['/v1/alerts?severity=page', 'query.severity'],
  ])('refuses %s naming %s', async (path, field) => {
    const res = await call('GET', path);
    expect(res.status).toBe(400);
    expect(res.type).toBe('application/problem+json');
    expect(res.body.errors.map((e: Json) => e.path)).toContain(field);
  });

  it('acknowledges (until a time), shows it, unacknowledges', async () => {
    const acked = await call('POST', '/v1/alerts/a-firing/ack', {
      by: 'ana',
      comment: 'looking',
      until: new Date(T0 + 3_600_000).toISOString(),
    });
    expect(acked.status).toBe(200);
    expect(acked.body.acknowledged).toEqual({
      by: 'ana',
      comment: 'looking',
      at: new Date(T0).toISOString(),
      until: new Date(T0 + 3_600_000).toISOString(),
    });
    expect((await store.get('a-firing'))?.ack).toEqual({
      by: 'ana',
      comment: 'looking',
      at: T0,
      until: T0 + 3_600_000,
    });
    const shown = await call('GET', '/v1/alerts/a-firing');
    expect(shown.body.acknowledged.by).toBe('ana');
    expect(shown.body.transitions).toEqual([]);
    expect(shown.body.notifications).toEqual([]);
    // The dashboard sends the comment box as it is: an empty comment is no comment.
    const blank = await call('POST', '/v1/alerts/a-firing/ack', { by: 'dashboard', comment: '' });
    expect(blank.status).toBe(200);
    expect(blank.body.acknowledged).toMatchObject({ by: 'dashboard', comment: null });
    const unacked = await call('POST', '/v1/alerts/a-firing/unack', {});
    expect(unacked.status).toBe(200);
    expect(unacked.body.acknowledged).toBeNull();
    expect((await call('POST', '/v1/alerts/a-firing/unack', {})).status).toBe(409);
  });

  it.each([
    [{}, 'by'],
    [{ by: '' }, 'by'],
    [{ by: 'ana', until: 'tomorrow' }, 'until'],
    [{ by: 'ana', comments: 'typo' }, 'comments'],
  ])('refuses the acknowledgement %j naming %s', async (body, field) => {
    const res = await call('POST', '/v1/alerts/a-firing/ack', body);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: Json) => e.path)).toContain(field);
  });

  it('refuses an acknowledgement that ends in the past, and acting on an unknown alert', async () => {
    const past = await call('POST', '/v1/alerts/a-firing/ack', { by: 'ana', until: new Date(T0 - 1).toISOString() });
    expect(past.status).toBe(409);
    expect((await call('POST', '/v1/alerts/nope/ack', { by: 'ana' })).status).toBe(404);
    expect((await call('GET', '/v1/alerts/nope')).status).toBe(404);
  });

  it('resolves by hand: the alert is resolved, the transition is recorded with its reason', async () => {
    now = T0 + 60_000;
    const res = await call('POST', '/v1/alerts/a-pending/resolve', { by: 'bo', comment: 'known issue' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'resolved', manualResolve: { by: 'bo', comment: 'known issue' } });
    const shown = await call('GET', '/v1/alerts/a-pending');
    expect(shown.body.transitions).toEqual([
      {
        seq: 2,
        from: 'pending',
        to: 'resolved',
        at: new Date(T0 + 60_000).toISOString(),
        value: 1200,
        reason: { code: 'manual-resolve', message: expect.stringContaining('resolved by bo: known issue') },
      },
    ]);
    expect((await call('POST', '/v1/alerts/a-pending/resolve', { by: 'bo' })).status).toBe(409);
  });

  it('re-applies an action over a concurrent evaluation write (version conflict)', async () => {
    const current = (await store.get('a-firing'))!;
    // An evaluation writes the alert between the API's read and its write: the API reads again.
    expect(await store.put({ ...current, value: 1300 })).toBe('written');
    const res = await call('POST', '/v1/alerts/a-firing/ack', { by: 'cy' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ value: 1300, acknowledged: { by: 'cy' } });
  });

  it('needs write to act and read to look', async () => {
    const reader = await vigil.mintToken(['read']);
    expect((await call('GET', '/v1/alerts', undefined, reader)).status).toBe(200);
    expect((await call('POST', '/v1/alerts/a-firing/unack', {}, reader)).status).toBe(403);
    expect((await call('POST', '/v1/silences', {}, reader)).status).toBe(403);
  });
});

describe('silences API', () => {
  const silence = (extra: Record<string, unknown> = {}) => ({
    matchers: [{ label: 'service', op: '=', value: 'checkout' }],
    endsAt: new Date(now + 3_600_000).toISOString(),
    comment: 'deploying the cart',
    createdBy: 'ana',
    ...extra,
  });

  it('creates, lists and expires a silence', async () => {
    const created = await call('POST', '/v1/silences', silence());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      matchers: [{ label: 'service', op: '=', value: 'checkout' }],
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
      comment: 'deploying the cart',
      createdBy: 'ana',
      state: 'active',
    });
    const id = created.body.id as string;
    const later = await call('POST', '/v1/silences', {
      ...silence({ startsAt: new Date(now + 600_000).toISOString() }),
      weekly: [{ days: ['sat', 'sun'], start: '22:00', end: '06:00' }],
      timeZone: 'Europe/Berlin',
    });
    expect(later.body).toMatchObject({ state: 'pending', timeZone: 'Europe/Berlin' });
    const list = await call('GET', '/v1/silences');
    expect(list.body.items.map((s: Json) => s.id)).toEqual([id, later.body.id]);
    expect((await call('DELETE', `/v1/silences/${id}`)).status).toBe(204);
    expect((await call('GET', '/v1/silences')).body.items.map((s: Json) => s.id)).toEqual([later.body.id]);
    // Expiring is idempotent: an ended silence stays ended; an unknown one is 404.
    expect((await call('DELETE', `/v1/silences/${id}`)).status).toBe(204);
    expect((await call('DELETE', '/v1/silences/no-such-silence')).status).toBe(404);
    expect((await call('DELETE', `/v1/silences/${later.body.id}`)).status).toBe(204);
  });

  it.each([
    [silence({ matchers: [] }), 'matchers'],
    [silence({ matchers: [{ label: 'service', op: '=~', value: '(' }] }), 'matchers[0].value'],
    [silence({ matchers: [{ label: 'service', op: '~', value: 'x' }] }), 'matchers[0].op'],
    [silence({ endsAt: 'soon' }), 'endsAt'],
    [silence({ endsAt: new Date(T0 - 1).toISOString() }), 'endsAt'],
    [silence({ startsAt: new Date(now + 7_200_000).toISOString() }), 'endsAt'],
    [silence({ comment: '' }), 'comment'],
    [silence({ createdBy: undefined }), 'createdBy'],
    [silence({ timeZone: 'Mars/Olympus' }), 'timeZone'],
    [silence({ weekly: [{ days: ['funday'], start: '22:00', end: '06:00' }] }), 'weekly[0].days[0]'],
    [silence({ weekly: [{ days: ['mon'], start: '25:00', end: '06:00' }] }), 'weekly[0].start'],
  ])('refuses %j naming %s', async (body, field) => {
    const res = await call('POST', '/v1/silences', body);
    expect(res.status).toBe(400);
    expect(res.type).toBe('application/problem+json');
    expect(
      res.body.errors.map((e: Json) => e.path),
      JSON.stringify(res.body),
    ).toContain(field);
  });

  it('refuses a silence past VIGIL_MAX_SILENCES with problem+json', async () => {
    expect((await call('GET', '/v1/silences')).body.items).toEqual([]);
    expect((await call('POST', '/v1/silences', silence())).status).toBe(201);
    expect((await call('POST', '/v1/silences', silence())).status).toBe(201);
    const over = await call('POST', '/v1/silences', silence());
    expect(over.status).toBe(409);
    expect(over.type).toBe('application/problem+json');
    expect(over.body.detail).toContain('limit of 2 silences');
  });
});
