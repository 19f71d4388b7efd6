import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHandler as createIngest } from '../../functions/ingest/handler.js';
import { createHandler as createQuery } from '../../functions/query/handler.js';
import { type ApiHandler, invoke } from '../support/ingest-invoker.js';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';
import { faultInjector } from '../support/storage-faults.js';

/**
 * Issue #9 items 6 and 14: a limit on services and on a service's environments (422 problem+json), a
 * service summary kept as data is written (GET /v1/services reads a bounded number of partitions, whatever
 * the number of services), and bounded concurrency where a request fans out over services.
 */
let vigil: TestVigil;
let ingest: ApiHandler;
let query: ApiHandler;
let ingestToken: string;
let readToken: string;
const reads = faultInjector();
let inFlight = 0;
let maxInFlight = 0;

beforeAll(async () => {
  vigil = await startTestVigil();
  [ingestToken, readToken] = await Promise.all([vigil.mintToken(['ingest']), vigil.mintToken(['read'])]);
  ingest = createIngest({ ...vigil.environmentOf('ingest'), VIGIL_MAX_SERVICES: '40' }) as unknown as ApiHandler;
  query = createQuery(vigil.environmentOf('query'), {
    configureDynamoDb: (client) => {
      reads.configure(client);
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName !== 'QueryCommand') return next(args);
          maxInFlight = Math.max(maxInFlight, ++inFlight);
          try {
            return await next(args);
          } finally {
            inFlight--;
          }
        },
        { step: 'initialize', name: 'countInFlight' },
      );
    },
  }) as unknown as ApiHandler;
});
afterAll(() => vigil?.close());
beforeEach(() => {
  reads.reset();
  maxInFlight = 0;
});

const send = (json: unknown) => invoke(ingest, 'POST /v1/ingest', { token: ingestToken, json });
const get = async (route: string, path = route.split(' ')[1]!) => {
  const res = await invoke(query, route, { token: readToken, json: undefined, path });
  expect(res.status).toBe(200);
  return res.body;
};

describe('services', () => {
  it('keeps each service summary as data: /v1/services reads a few partitions, not every series', async () => {
    const now = Date.now();
    const services = Array.from({ length: 12 }, (_, i) => `svc-${String(i).padStart(2, '0')}`);
    await Promise.all(
      services.map((service, i) =>
        send({
          service,
          environment: 'prod',
          metrics: [
            { name: 'http.server.requests', type: 'counter', value: 90, tags: { status_class: '2xx' }, timestamp: now },
            { name: 'http.server.requests', type: 'counter', value: 10, tags: { status_class: '5xx' }, timestamp: now },
            { name: 'http.server.duration', type: 'histogram', values: [10, 20, 40 + i], timestamp: now },
          ],
        }).then((r) => expect(r.status).toBe(202)),
      ),
    );
    reads.reset();
    const body = (await get('GET /v1/services')) as { items: Record<string, unknown>[] };
    const mine = body.items.filter((s) => String(s.service).startsWith('svc-'));
    expect(mine).toHaveLength(12);
    expect(mine[0]).toMatchObject({
      service: 'svc-00',
      environments: ['prod'],
      requestRate: Number((100 / 900).toFixed(4)),
      errorRate: 0.1,
      source: 'metrics',
    });
    expect(Math.abs((mine[0]!.p95LatencyMs as number) - 40) / 40).toBeLessThan(0.01);
    // The services list (one query) and at most 2 hours × 4 shards of summaries: never one per service.
    const queries = reads.seen.filter((c) => c === 'QueryCommand').length;
    expect(queries).toBeLessThanOrEqual(1 + 2 * 4);
  });

  it('bounds the fan-out of /v1/dependencies to 8 queries in flight', async () => {
    await get('GET /v1/dependencies');
    expect(reads.seen.filter((c) => c === 'QueryCommand').length).toBeGreaterThan(12);
    expect(maxInFlight).toBeLessThanOrEqual(8);
  });

  it('refuses a new service past VIGIL_MAX_SERVICES with 422 problem+json; known services go on', async () => {
    const listed = ((await get('GET /v1/services')) as { items: unknown[] }).items.length;
    for (let i = listed; i < 40; i++)
      expect((await send({ service: `fill-${i}`, logs: [{ message: 'x' }] })).status).toBe(202);
    const refused = await send({ service: 'one-too-many', logs: [{ message: 'x' }] });
    expect(refused.status).toBe(422);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(refused.body).toMatchObject({
      title: 'Limit reached',
      detail:
        'Vigil already stores 40 services (the limit, VIGIL_MAX_SERVICES); service one-too-many is new and is refused',
    });
    expect((await send({ service: 'svc-01', logs: [{ message: 'still here' }] })).status).toBe(202);
    // In OTLP, the refused resource is a partial success (not retried by exporters), the others are stored.
    const otlp = await invoke(ingest, 'POST /v1/logs', {
      token: ingestToken,
      json: {
        resourceLogs: ['svc-02', 'also-new'].map((name) => ({
          resource: { attributes: [{ key: 'service.name', value: { stringValue: name } }] },
          scopeLogs: [{ logRecords: [{ body: { stringValue: 'hello' } }] }],
        })),
      },
    });
    expect(otlp.status).toBe(200);
    expect(otlp.body).toMatchObject({ partialSuccess: { rejectedLogRecords: 1 } });
    expect(String((otlp.body.partialSuccess as { errorMessage: string }).errorMessage)).toContain(
      'service also-new is new and is refused',
    );
    const names = ((await get('GET /v1/services')) as { items: { service: string }[] }).items.map((s) => s.service);
    expect(names).toHaveLength(40);
    expect(names).not.toContain('also-new');
  });

  it("bounds a service's environments at 32 (422 naming the environment)", async () => {
    for (let i = 0; i < 31; i++) {
      expect((await send({ service: 'svc-03', environment: `env-${i}`, logs: [{ message: 'x' }] })).status).toBe(202);
    }
    const refused = await send({ service: 'svc-03', environment: 'env-32', logs: [{ message: 'x' }] });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toBe(
      'service svc-03 already has 32 environments (the limit); environment env-32 is refused',
    );
    expect((await send({ service: 'svc-03', environment: 'env-7', logs: [{ message: 'x' }] })).status).toBe(202);
    const svc = (
      (await get('GET /v1/services')) as { items: { service: string; environments: string[] }[] }
    ).items.find((s) => s.service === 'svc-03');
    expect(svc?.environments).toHaveLength(32);
  });
});
