import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';

/** `/v1/rules` through local mode's gateway and the real handler, and `rules` in vigil.config.json. */
let vigil: TestVigil;
const dir = mkdtempSync(join(tmpdir(), 'vigil-rules-'));
const configPath = join(dir, 'vigil.config.json');

// biome-ignore lint/suspicious/noExplicitAny: JSON from the API under test
type Json = Record<string, any>;

const threshold = (extra: Record<string, unknown> = {}) => ({
  type: 'threshold',
  severity: 'critical',
  metric: { service: 'checkout', name: 'http.server.duration', stat: 'p95', groupBy: ['route'] },
  op: '>',
  value: 800,
  window: '5m',
  for: '2m',
  annotations: { summary: 'p95 of {{ labels.route }} is {{ value }} ms' },
  ...extra,
});

beforeAll(async () => {
  writeFileSync(
    configPath,
    JSON.stringify({
      targets: [{ id: 'web', service: 'web', url: 'http://127.0.0.1:9/health' }],
      rules: [{ id: 'web-down', type: 'health', target: 'web', severity: 'critical' }],
    }),
  );
  vigil = await startTestVigil({ VIGIL_CONFIG: configPath, VIGIL_MAX_RULES: '3' });
  const sent = await vigil.request('/v1/ingest', {
    method: 'POST',
    json: {
      service: 'checkout',
      metrics: [{ name: 'http.server.duration', type: 'histogram', values: [120], tags: { route: '/cart' } }],
    },
  });
  expect(sent.status).toBe(202);
});
afterAll(() => vigil?.close());

async function put(id: string, body: unknown, token?: string) {
  const res = await vigil.request(`/v1/rules/${id}`, { method: 'PUT', json: body, ...(token ? { token } : {}) });
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Json };
}

describe('rules API', () => {
  it('creates a rule, returns it as given with its owner, updates, lists and deletes it', async () => {
    const created = await put('checkout-p95', threshold());
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      ...threshold(),
      id: 'checkout-p95',
      origin: 'api',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      lastEvaluation: null,
    });
    const updated = await put('checkout-p95', threshold({ value: 900 }));
    expect(updated.status).toBe(200);
    expect(updated.body.value).toBe(900);
    expect(updated.body.createdAt).toBe(created.body.createdAt);
    const list = (await (await vigil.request('/v1/rules')).json()) as Json;
    expect(list.items.map((r: Json) => r.id)).toEqual(['checkout-p95', 'web-down']);
    const one = (await (await vigil.request('/v1/rules/checkout-p95')).json()) as Json;
    expect(one).toEqual(updated.body);
    expect((await vigil.request('/v1/rules/checkout-p95', { method: 'DELETE' })).status).toBe(204);
    expect((await vigil.request('/v1/rules/checkout-p95')).status).toBe(404);
    expect((await vigil.request('/v1/rules/checkout-p95', { method: 'DELETE' })).status).toBe(404);
  });

  it.each([
    [threshold({ window: '5 minutes' }), 'window'],
    [threshold({ window: '0s' }), 'window'],
    [threshold({ op: '=>' }), 'op'],
    [threshold({ annotations: { summary: 'value {{ value' } }), 'annotations.summary'],
    [threshold({ severity: 'page' }), 'severity'],
    [{ ...threshold(), metric: undefined }, 'metric'],
    [{ type: 'nope' }, 'type'],
    [threshold({ metric: { service: 'checkout', name: 'http.server.durration' } }), 'metric.name'],
  ])('refuses %j with problem+json naming %s', async (body, path) => {
    const res = await put('bad', body);
    expect(res.status).toBe(400);
    expect(res.type).toBe('application/problem+json');
    const paths = res.body.errors.map((e: Json) => e.path);
    expect(paths, JSON.stringify(res.body.errors)).toContain(path);
    expect(res.body.detail).toContain(`${path}:`);
  });

  it('shows the default severity of a rule that leaves it out, and still stores the rule as given', async () => {
    const res = await put('minimal', { type: 'health', target: 'web' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: 'minimal', type: 'health', target: 'web', severity: 'warning' });
    expect((await vigil.request('/v1/rules/minimal', { method: 'DELETE' })).status).toBe(204);
  });

  it('keeps a rule from vigil.config.json read-only through the API', async () => {
    const rule = (await (await vigil.request('/v1/rules/web-down')).json()) as Json;
    expect(rule).toMatchObject({ id: 'web-down', type: 'health', target: 'web', origin: 'config' });
    const change = await put('web-down', { type: 'health', target: 'web', severity: 'info' });
    expect(change.status).toBe(409);
    expect(change.body.detail).toContain('managed by the config file');
    expect((await vigil.request('/v1/rules/web-down', { method: 'DELETE' })).status).toBe(409);
  });

  it('refuses a new rule past VIGIL_MAX_RULES with problem+json, and updates still work', async () => {
    expect((await put('r1', threshold())).status).toBe(201);
    expect((await put('r2', threshold())).status).toBe(201);
    const over = await put('r3', threshold());
    expect(over.status).toBe(409);
    expect(over.type).toBe('application/problem+json');
    expect(over.body.detail).toContain('limit of 3 rules');
    expect((await put('r2', threshold({ value: 1 }))).status).toBe(200);
    for (const id of ['r1', 'r2']) await vigil.request(`/v1/rules/${id}`, { method: 'DELETE' });
  });

  it('shows the remaining error budget of an SLO rule at GET /v1/slos/{ruleId}', async () => {
    const counters = [
      { name: 'requests.good', type: 'counter', value: 995 },
      { name: 'requests.total', type: 'counter', value: 1000 },
    ];
    expect(
      (await vigil.request('/v1/ingest', { method: 'POST', json: { service: 'api', metrics: counters } })).status,
    ).toBe(202);
    const slo = {
      type: 'burn_rate',
      objective: 99,
      period: '7d',
      good: { service: 'api', name: 'requests.good' },
      total: { service: 'api', name: 'requests.total' },
    };
    expect((await put('api-slo', slo)).status).toBe(201);
    const res = await vigil.request('/v1/slos/api-slo');
    expect(res.status).toBe(200);
    const budget = (await res.json()) as Json;
    // 1% of 1,000 requests may fail: 10; 5 did, so half the budget is left.
    expect(budget).toMatchObject({
      ruleId: 'api-slo',
      objective: 99,
      period: '7d',
      good: 995,
      total: 1000,
      sli: 0.995,
      bad: 5,
      exhausted: false,
    });
    expect(budget.allowedBad).toBeCloseTo(10, 9);
    expect(budget.remaining).toBeCloseTo(0.5, 9);
    expect((await vigil.request('/v1/slos/web-down')).status).toBe(404);
    expect((await vigil.request('/v1/slos/nope')).status).toBe(404);
    await vigil.request('/v1/rules/api-slo', { method: 'DELETE' });
  });

  it('needs write to change and read to look', async () => {
    const reader = await vigil.mintToken(['read']);
    expect((await put('x', threshold(), reader)).status).toBe(403);
    expect((await vigil.request('/v1/rules', { token: reader })).status).toBe(200);
    expect((await vigil.request('/v1/rules', { token: null })).status).toBe(401);
  });
});
