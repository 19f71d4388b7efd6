import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';
import { closedPort, startHttpsServer, startTargetServer, type TargetServer } from '../support/probe-target-server.js';

/** Targets against a switchable local service, probed through local mode's real prober handler. */
let vigil: TestVigil;
let svc: TargetServer;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  [vigil, svc] = await Promise.all([startTestVigil(), startTargetServer()]);
});
afterAll(async () => {
  await Promise.all([vigil?.close(), svc?.close()]);
});

// Response bodies are asserted on field by field; a loose type keeps those assertions readable.
// biome-ignore lint/suspicious/noExplicitAny: JSON from the API under test
type Json = Record<string, any>;

async function put(id: string, body: Record<string, unknown>, token?: string) {
  const res = await vigil.request(`/v1/targets/${id}`, { method: 'PUT', json: body, ...(token ? { token } : {}) });
  return { status: res.status, body: (await res.json()) as Json };
}
async function get(path: string) {
  const res = await vigil.request(path);
  expect(res.status, path).toBe(200);
  return (await res.json()) as Json;
}

describe('targets API', () => {
  it('creates a target with the defaults filled in, updates, lists and deletes it', async () => {
    const created = await put('crud', { service: 'checkout', url: `${svc.url}/t/crud` });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: 'crud',
      service: 'checkout',
      method: 'GET',
      intervalSeconds: 60,
      timeoutMs: 5000,
      failureThreshold: 3,
      successThreshold: 2,
      certificateExpiryDays: 14,
      expect: { status: ['2xx'] },
      headers: {},
      dependsOn: [],
      managedBy: 'api',
      state: { status: 'unknown', reason: null },
    });
    const updated = await put('crud', { service: 'checkout', url: `${svc.url}/t/crud`, intervalSeconds: 30 });
    expect(updated.status).toBe(200);
    expect(updated.body.intervalSeconds).toBe(30);
    expect(updated.body.createdAt).toBe(created.body.createdAt);
    const list = await get('/v1/targets');
    expect(list.items.map((t: { id: string }) => t.id)).toContain('crud');
    expect((await vigil.request('/v1/targets/crud', { method: 'DELETE' })).status).toBe(204);
    expect((await vigil.request('/v1/targets/crud')).status).toBe(404);
    expect((await vigil.request('/v1/targets/crud', { method: 'DELETE' })).status).toBe(404);
  });

  it.each([
    [{ service: 'a', url: 'ftp://example.com/' }, 'url', 'must use http or https'],
    [{ service: 'a', url: 'not a url' }, 'url', 'must be an absolute URL'],
    [{ service: 'a', url: 'http://x/', expect: { status: [700] } }, 'expect.status[0]', 'must be at most 599'],
    [{ service: 'a', url: 'http://x/', intervalSecond: 5 }, 'intervalSecond', 'unknown field'],
    [{ service: 'a', url: 'http://x/', timeoutMs: 60_000 }, 'timeoutMs', 'at most 30000'],
    [
      { service: 'a', url: 'http://x/', expect: { json: { path: 'status', equals: 'pass' } } },
      'expect.json.path',
      'must start with "$"',
    ],
    [{ service: 'a', url: 'http://x/', dependsOn: ['nope'] }, 'dependsOn[0]', 'no target with id nope'],
    [{ url: 'http://x/' }, 'service', ''],
  ])('rejects %j naming %s', async (body, path, message) => {
    const res = await put('bad', body);
    expect(res.status).toBe(400);
    const violation = res.body.errors.find((v: { path: string }) => v.path === path);
    expect(violation, JSON.stringify(res.body.errors)).toBeDefined();
    expect(violation.message).toContain(message);
  });

  it('needs the write scope to change targets and read to list them', async () => {
    const reader = await vigil.mintToken(['read']);
    expect((await put('scoped', { service: 'a', url: 'http://x/' }, reader)).status).toBe(403);
    expect((await vigil.request('/v1/targets', { token: reader })).status).toBe(200);
  });
});

describe('probing', () => {
  it('changes status only after the thresholds, records transitions, history and uptime', async () => {
    const base = { service: 'checkout', intervalSeconds: 1, failureThreshold: 3, successThreshold: 2 };
    await put('flappy', { ...base, url: `${svc.url}/t/flappy`, expect: { status: [200], bodyContains: 'ok' } });
    // Outcomes per run: pass, fail ×3, pass ×2 → up, up, up, down, down, up.
    const plan = ['healthy', 'failing', 'failing', 'failing', 'healthy', 'healthy'] as const;
    const seen: string[] = [];
    for (const kind of plan) {
      svc.set('flappy', { kind } as never);
      await vigil.runSchedule('probe');
      seen.push((await get('/v1/targets/flappy')).state.status);
      await sleep(1_000);
    }
    expect(seen).toEqual(['up', 'up', 'up', 'down', 'down', 'up']);
    expect(svc.hits('flappy')).toBe(6);

    const detail = await get('/v1/targets/flappy');
    expect(detail.state).toMatchObject({ status: 'up', reason: null, httpStatus: 200, pending: null });
    // Statuses recorded per probe: up ×3, down ×2, up ×1 → 4 of 6 up.
    expect(detail.uptime['24h']).toMatchObject({ probes: 6, up: 4, down: 2, degraded: 0, uptimePercent: 66.667 });
    expect(detail.uptime['30d'].uptimePercent).toBe(66.667);

    const history = await get('/v1/targets/flappy/history');
    expect(history.items.map((r: { level: string }) => r.level)).toEqual([
      'pass',
      'pass',
      'fail',
      'fail',
      'fail',
      'pass',
    ]);
    expect(history.items[2].reason).toBe('status 500');
    expect(history.transitions.map((t: { from: string; to: string }) => `${t.from}>${t.to}`)).toEqual([
      'unknown>up',
      'up>down',
      'down>up',
    ]);
    expect(history.transitions[1].reason).toBe('status 500');
    expect(history.summary).toMatchObject({ probes: 6, uptimePercent: 66.667 });

    // Paging: newest first, 4 then 2, the cursor continuing where the first page stopped.
    const page1 = await get('/v1/targets/flappy/history?limit=4');
    expect(page1.items).toHaveLength(4);
    const page2 = await get(`/v1/targets/flappy/history?limit=4&cursor=${page1.nextCursor}`);
    expect(page2.nextCursor).toBeUndefined();
    expect([...page1.items, ...page2.items].map((r: Json) => r.at)).toEqual(history.items.map((r: Json) => r.at));
    const empty = await get(`/v1/targets/flappy/history?from=${Date.now() - 60_000}&to=${Date.now() - 30_000}`);
    expect(empty).toMatchObject({ items: [], transitions: [] });
    expect((await vigil.request('/v1/targets/flappy/history?from=tomorrow')).status).toBe(400);

    const events = await get('/v1/target-events?service=checkout');
    expect(events.items.filter((e: { targetId: string }) => e.targetId === 'flappy')).toHaveLength(3);
  }, 30_000);

  it('turns bad endpoints into clear reasons without failing the run', async () => {
    const refused = await closedPort();
    const tls = await startHttpsServer(3);
    try {
      const targets: Record<string, Record<string, unknown>> = {
        slow: { url: `${svc.url}/t/slow`, timeoutMs: 300 },
        loop: { url: `${svc.url}/loop/a` },
        endless: { url: `${svc.url}/endless`, expect: { bodyContains: 'ok' } },
        nowhere: { url: 'http://nowhere.invalid/health' },
        refused: { url: `http://127.0.0.1:${refused}/health` },
        'self-signed': { url: tls.url },
        'cert-soon': { url: tls.url, insecure: true },
        'hj-warn': { url: `${svc.url}/t/hj-warn` },
        'hj-fail': { url: `${svc.url}/t/hj-fail` },
        'json-mismatch': { url: `${svc.url}/t/json-mismatch`, expect: { json: { path: '$.status', equals: 'ok' } } },
        'too-slow': { url: `${svc.url}/t/too-slow`, expect: { maxLatencyMs: 50 } },
      };
      svc.set('slow', { kind: 'slow', ms: 5_000 });
      svc.set('too-slow', { kind: 'slow', ms: 150 });
      svc.set('hj-warn', { kind: 'health-json', status: 'warn' });
      svc.set('hj-fail', { kind: 'health-json', status: 'fail' });
      for (const [id, t] of Object.entries(targets)) {
        expect((await put(id, { service: 'edge', ...t })).status).toBe(201);
      }
      // The run ends although `slow` answers only after 5 s: its probe times out (asserted below).
      await vigil.runSchedule('probe');
      const list = await get('/v1/targets');
      const by = Object.fromEntries(list.items.map((t: Json) => [t.id, t.state]));
      const expected: Record<string, [string, string | RegExp]> = {
        slow: ['down', 'timeout after 300 ms'],
        loop: ['down', /^redirect loop at http:\/\/127\.0\.0\.1:\d+\/loop\/a$/],
        endless: ['down', 'body did not contain "ok" (first 65536 bytes read)'],
        nowhere: ['down', 'host nowhere.invalid did not resolve'],
        refused: ['down', /^connection refused by 127\.0\.0\.1:\d+$/],
        'self-signed': ['down', 'TLS error: self-signed certificate'],
        'cert-soon': ['degraded', /^certificate expires in (2|3) days$/],
        'hj-warn': ['degraded', 'health status "warn": db slow'],
        'hj-fail': ['down', 'health status "fail": db slow'],
        'json-mismatch': ['down', '$.status was "pass", expected "ok"'],
        'too-slow': ['degraded', /^latency \d+ ms over 50 ms$/],
      };
      for (const [id, [status, reason]] of Object.entries(expected)) {
        expect(by[id]?.status, id).toBe(status);
        if (typeof reason === 'string') expect(by[id]?.reason, id).toBe(reason);
        else expect(by[id]?.reason, id).toMatch(reason);
      }
      expect(by['cert-soon'].certificateExpiresAt).toMatch(/^\d{4}-/);
    } finally {
      await tls.close();
    }
  }, 30_000);

  it('records a down dependency as the probable cause of a transition', async () => {
    svc.set('db', { kind: 'down' });
    svc.set('api', { kind: 'failing', status: 502 });
    await put('db', { service: 'payments', url: `${svc.url}/t/db`, failureThreshold: 1, intervalSeconds: 1 });
    await put('api', {
      service: 'payments',
      url: `${svc.url}/t/api`,
      dependsOn: ['db'],
      failureThreshold: 1,
      intervalSeconds: 1,
    });
    await vigil.runSchedule('probe');
    const history = await get('/v1/targets/api/history');
    expect(history.transitions).toHaveLength(1);
    expect(history.transitions[0]).toMatchObject({
      from: 'unknown',
      to: 'down',
      reason: 'status 502',
      probableCause: {
        targetId: 'db',
        status: 'down',
        reason: expect.stringMatching(/^connection (reset|closed before a response)$/),
      },
    });
  });
});
