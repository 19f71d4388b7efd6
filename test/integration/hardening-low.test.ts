import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cursorCodec } from '../../functions/adapters/cursor.js';
import { documentClient } from '../../functions/adapters/dynamodb.js';
import { DynamoDbOutboxStore } from '../../functions/adapters/dynamodb-outbox-store.js';
import { DynamoDbProbeHistory } from '../../functions/adapters/dynamodb-probe-history.js';
import type { ProbeResult } from '../../functions/core/probing/model.js';
import { routeMatcher } from '../../functions/platform/route-matcher.js';
import { type LocalDynamo, startLocalDynamo } from '../../lib/local/dynamo.js';
import { createGateway } from '../../lib/local/gateway.js';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';

/** Issue #9, LOW items 9–12 and 17: each a 500 (or a gap) before, a 4xx problem+json naming the field now. */
type Problem = { status: number; detail: string; errors?: { path: string; message: string }[] };
const NOW = Date.UTC(2026, 11, 1, 12);

async function problem(res: Response, status: number): Promise<Problem> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  return (await res.json()) as Problem;
}

const forged = Buffer.from('{"zz":1}').toString('base64url');

describe('through local mode', () => {
  let vigil: TestVigil;
  beforeAll(async () => {
    vigil = await startTestVigil({}, { clock: () => NOW });
    const res = await vigil.request('/v1/targets/t1', {
      method: 'PUT',
      json: { service: 'svc', url: 'http://127.0.0.1:9/health' },
    });
    expect(res.status).toBe(201);
  });
  afterAll(() => vigil?.close());

  it.each([
    ['GET', '/v1/targets/'],
    ['DELETE', '/v1/targets/'],
    ['GET', '/v1/targets//history'],
    ['DELETE', '/v1/tokens/'],
  ])('answers %s %s (an empty path id) with 400 naming the id', async (method, path) => {
    const body = await problem(await vigil.request(path, { method }), 400);
    expect(body.errors).toEqual([{ path: 'id', message: 'must not be empty' }]);
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])(
    'answers /ui/%s with 404 (no lookup on Object.prototype)',
    async (name) => {
      const body = await problem(await vigil.request(`/ui/${name}`, { token: null }), 404);
      expect(body.detail).toBe(`no dashboard file ${name}`);
    },
  );

  it.each([
    ['/v1/target-events?to=9000000000000000', 'query.to'],
    ['/v1/targets/t1/history?to=9e15', 'query.to'],
    ['/v1/targets/t1/history?from=-99999999999d', 'query.from'],
    ['/v1/metrics/query?service=a&name=b&from=275761-01-01', 'query.from'],
    ['/v1/logs?service=a&to=1', 'query.to'],
  ])('answers %s (a time out of range) with 400 naming %s', async (path, field) => {
    const body = await problem(await vigil.request(path), 400);
    expect(body.errors?.map((e) => e.path)).toEqual([field]);
    expect(body.errors?.[0]?.message).toContain('years 2000 to 2100');
  });

  it('takes the same time forms on the targets routes as on the query routes (relative times, 31-day cap)', async () => {
    const res = await vigil.request('/v1/targets/t1/history?from=-6h&to=now');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { from: string; to: string };
    expect(body).toMatchObject({ from: new Date(NOW - 6 * 3_600_000).toISOString(), to: new Date(NOW).toISOString() });
    const tooLong = await problem(await vigil.request('/v1/target-events?from=-32d'), 400);
    expect(tooLong.errors).toEqual([{ path: 'query.from', message: 'the range may span at most 31 days' }]);
  });

  it.each([
    '/v1/targets/t1/history?cursor=',
    '/v1/notifications?cursor=',
    '/v1/logs?traceId=0123456789abcdef0123456789abcdef&cursor=',
    '/v1/logs?service=a&cursor=',
  ])('answers a forged cursor on %s with 400 naming the cursor', async (path) => {
    for (const cursor of [forged, `${forged}.AAAAAAAAAAAAAAAAAAAAAA`, 'x.y.z', '%00']) {
      const body = await problem(await vigil.request(`${path}${cursor}`), 400);
      expect(body.errors).toEqual([
        { path: 'query.cursor', message: 'is not a cursor this API returned for this query' },
      ]);
    }
  });

  it('answers with nosniff and no-store, a minted secret included', async () => {
    const res = await vigil.request('/v1/tokens', { method: 'POST', json: { name: 'h', scopes: ['read'] } });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('signed cursors', () => {
  let dynamo: LocalDynamo;
  beforeAll(async () => {
    dynamo = await startLocalDynamo({ prefix: `cursor-${randomUUID().slice(0, 8)}-` });
  });
  afterAll(() => dynamo?.close());

  const result = (targetId: string, at: number): ProbeResult =>
    ({ targetId, at, status: 'up', latencyMs: 5, reason: { code: 'ok', message: 'ok' } }) as unknown as ProbeResult;

  it('pages probe history with a cursor that only this query accepts back', async () => {
    const db = documentClient({ endpoint: dynamo.endpoint });
    const history = new DynamoDbProbeHistory(db, dynamo.tables.probes, 35, () => NOW, cursorCodec('k'.repeat(32)));
    await history.recordResults([1, 2, 3, 4, 5].map((i) => result('a', NOW - i * 60_000)));
    await history.recordResults([result('b', NOW - 60_000)]);
    const range = { from: NOW - 3_600_000, to: NOW };
    const first = await history.results('a', range, 2);
    expect(first.items.map((r) => r.at)).toEqual([NOW - 60_000, NOW - 120_000]);
    const second = await history.results('a', range, 2, first.nextCursor);
    expect(second.items.map((r) => r.at)).toEqual([NOW - 180_000, NOW - 240_000]);
    const third = await history.results('a', range, 2, second.nextCursor);
    expect(third).toEqual({ items: [expect.objectContaining({ at: NOW - 300_000 })] });

    // Another target's query, a tampered position, or another deployment's key: refused.
    await expect(history.results('b', range, 2, first.nextCursor)).rejects.toThrow('query.cursor: is not a cursor');
    const [payload, tag] = first.nextCursor!.split('.');
    const position = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as { sk: string };
    const moved = Buffer.from(JSON.stringify({ ...position, sk: '0' })).toString('base64url');
    await expect(history.results('a', range, 2, `${moved}.${tag}`)).rejects.toThrow('query.cursor');
    const other = new DynamoDbProbeHistory(db, dynamo.tables.probes, 35, () => NOW, cursorCodec('o'.repeat(32)));
    await expect(other.results('a', range, 2, first.nextCursor)).rejects.toThrow('query.cursor');
  });

  it('binds a notification cursor to its topic filter', async () => {
    const db = documentClient({ endpoint: dynamo.endpoint });
    const log = new DynamoDbOutboxStore(db, dynamo.tables.alerts, 30, cursorCodec('k'.repeat(32)));
    for (let i = 0; i < 3; i++) {
      await log.create({
        id: `n${i}`,
        alertId: 'n',
        ruleId: 'r',
        kind: 'event',
        topic: 'critical',
        subject: 's',
        message: {},
        attributes: {},
        status: 'sent',
        decisions: [],
        createdAt: NOW - i,
        attempts: 1,
        nextAttemptAt: undefined,
        lastError: undefined,
        sentAt: NOW - i,
      });
    }
    const page = await log.list({ limit: 2, now: NOW });
    expect(page.items.map((n) => n.id)).toEqual(['n0', 'n1']);
    expect((await log.list({ limit: 2, now: NOW, cursor: page.nextCursor! })).items.map((n) => n.id)).toEqual(['n2']);
    await expect(log.list({ limit: 2, now: NOW, topic: 'critical', cursor: page.nextCursor! })).rejects.toThrow(
      'query.cursor',
    );
  });
});

describe('answers the local gateway makes itself', () => {
  it('carry an x-request-id and the API headers (413 and 500)', async () => {
    const server = createGateway({
      matcher: routeMatcher(),
      maxPayloadBytes: 1_024,
      handler: () => async () => {
        throw new Error('handler crashed');
      },
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const big = await fetch(`${url}/v1/tokens`, { method: 'POST', body: 'x'.repeat(4_096) });
      const tooLarge = await problem(big, 413);
      expect(tooLarge.detail).toContain('1024 byte limit');
      expect(big.headers.get('x-content-type-options')).toBe('nosniff');
      expect(big.headers.get('cache-control')).toBe('no-store');
      const crashed = await fetch(`${url}/health`);
      const failed = await problem(crashed, 500);
      expect(failed.detail).not.toContain('handler crashed');
      expect(crashed.headers.get('x-request-id')).toBe((failed as Problem & { requestId: string }).requestId);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
