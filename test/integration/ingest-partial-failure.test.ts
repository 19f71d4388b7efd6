import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHandler } from '../../functions/ingest/handler.js';
import { type ApiHandler, invoke } from '../support/ingest-invoker.js';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';
import { faultInjector } from '../support/storage-faults.js';

/**
 * Issue #9 item 5: a batch whose writes partly fail must not be applied twice when the client retries it
 * with the same Idempotency-Key. The faults are injected by AWS SDK middleware on the ingest function's real
 * DynamoDB client (dynalite behind it); the stored data is read back through the query API.
 */
let vigil: TestVigil;
let ingest: ApiHandler;
let ingestToken: string;
let readToken: string;
const faults = faultInjector();

beforeAll(async () => {
  vigil = await startTestVigil();
  [ingestToken, readToken] = await Promise.all([vigil.mintToken(['ingest']), vigil.mintToken(['read'])]);
  ingest = createHandler(vigil.environmentOf('ingest'), {
    configureDynamoDb: (client) => faults.configure(client),
  }) as unknown as ApiHandler;
});
afterAll(() => vigil?.close());
beforeEach(() => faults.reset());

const batch = (service: string) => ({
  service,
  metrics: [{ name: 'orders.placed', type: 'counter', value: 5 }],
  logs: [{ level: 'info', message: 'order 42 paid' }],
  errors: [{ type: 'PaymentError', message: 'card declined' }],
});

const send = (service: string, key: string) =>
  invoke(ingest, 'POST /v1/ingest', { token: ingestToken, json: batch(service), headers: { 'idempotency-key': key } });

async function stored(service: string) {
  const get = async (path: string) => {
    const res = await vigil.request(path, { token: readToken });
    expect(res.status).toBe(200);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const metric = (await get(`/v1/metrics/query?service=${service}&name=orders.placed&stat=sum&step=1h&from=-2h`)) as {
    series: { points: [number, number][] }[];
  };
  const logs = (await get(`/v1/logs?service=${service}&from=-1h`)) as { items: { message: string }[] };
  const errors = (await get(`/v1/errors?service=${service}`)) as { items: { count: number }[] };
  // The writer's record of applied batches is not part of the answer.
  for (const g of errors.items) expect(Object.keys(g)).not.toContain('ra');
  return {
    sum: metric.series.flatMap((s) => s.points).reduce((a, [, v]) => a + v, 0),
    logs: logs.items.map((l) => l.message),
    errorCount: errors.items.reduce((a, g) => a + g.count, 0),
  };
}

describe('a partly failed batch, retried with the same Idempotency-Key', () => {
  it('completes what was missing and applies nothing twice (log write fails after the rollup is stored)', async () => {
    faults.set([{ command: /BatchWriteItem/, fault: 'server-error' }]);
    const first = await send('partial-logs', 'key-1');
    expect(first.status).toBeGreaterThanOrEqual(500);
    // The rollup and the error group were written, the log was not.
    expect(faults.injected.length).toBeGreaterThan(0);
    expect((await stored('partial-logs')).sum).toBe(5);

    faults.reset();
    const retry = await send('partial-logs', 'key-1');
    expect(retry.status).toBe(202);
    expect(await stored('partial-logs')).toEqual({ sum: 5, logs: ['order 42 paid'], errorCount: 1 });
  });

  it('does not count twice a write that was applied but whose answer was lost', async () => {
    // The rollup's UpdateItem reaches DynamoDB and is applied; the answer times out; the request fails.
    faults.set([
      { command: /UpdateItem/, input: /"M#partial-timeout#/, fault: 'timeout-after' },
      { command: /BatchWriteItem/, fault: 'server-error', times: 1 },
    ]);
    const first = await send('partial-timeout', 'key-2');
    expect(faults.injected.map((f) => f.fault)).toContain('timeout-after');
    faults.reset();
    if (first.status !== 202) {
      const retry = await send('partial-timeout', 'key-2');
      expect(retry.status).toBe(202);
    }
    expect(await stored('partial-timeout')).toEqual({ sum: 5, logs: ['order 42 paid'], errorCount: 1 });
  });

  it('a retry of a batch that succeeded is answered from the idempotency record and stores nothing more', async () => {
    expect((await send('complete', 'key-3')).status).toBe(202);
    expect((await send('complete', 'key-3')).status).toBe(202);
    expect(await stored('complete')).toEqual({ sum: 5, logs: ['order 42 paid'], errorCount: 1 });
  });
});
