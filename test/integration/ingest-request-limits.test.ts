import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHandler } from '../../functions/ingest/handler.js';
import { type ApiHandler, invoke } from '../support/ingest-invoker.js';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';
import { faultInjector } from '../support/storage-faults.js';

/**
 * Issue #9 item 4: limits on the whole OTLP request (items across resources, resources), checked before any
 * write; and a deadline passed down to the writes, so nothing more is written past it and the answer says
 * what was stored (a retryable 503; the resend completes the rest exactly once).
 */
let vigil: TestVigil;
let ingestToken: string;
let readToken: string;
let now = Date.now();
const faults = faultInjector();

const handlerWith = (env: Record<string, string>) =>
  createHandler(
    { ...vigil.environmentOf('ingest'), ...env },
    { clock: () => now, configureDynamoDb: (client) => faults.configure(client) },
  ) as unknown as ApiHandler;

beforeAll(async () => {
  vigil = await startTestVigil();
  [ingestToken, readToken] = await Promise.all([vigil.mintToken(['ingest']), vigil.mintToken(['read'])]);
});
afterAll(() => vigil?.close());
beforeEach(() => {
  faults.reset();
  now = Date.now();
});

/** An OTLP logs request: one resource per service, `perResource` records each. */
function otlpLogs(services: readonly string[], perResource: number) {
  const ns = String(BigInt(Date.now()) * 1_000_000n);
  return {
    resourceLogs: services.map((service) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeLogs: [
        {
          logRecords: Array.from({ length: perResource }, (_, i) => ({
            timeUnixNano: ns,
            severityNumber: 9,
            body: { stringValue: `${service} record ${i}` },
          })),
        },
      ],
    })),
  };
}

async function logCount(service: string) {
  const res = await vigil.request(`/v1/logs?service=${service}&from=-1h&limit=100`, { token: readToken });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: unknown[] }).items.length;
}

describe('request-wide limits', () => {
  it('counts items across all resources of an OTLP request, before any write (413 naming the limit)', async () => {
    const ingest = handlerWith({ VIGIL_INGEST_MAX_ITEMS: '10' });
    const services = ['items-a', 'items-b', 'items-c'];
    const res = await invoke(ingest, 'POST /v1/logs', { token: ingestToken, json: otlpLogs(services, 4) });
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body.detail).toBe(
      'the request holds 12 items across its 3 resources; at most 10 per request (VIGIL_INGEST_MAX_ITEMS): split it',
    );
    for (const s of services) expect(await logCount(s)).toBe(0);
    // Within the limit, the same shape is stored.
    const ok = await invoke(ingest, 'POST /v1/logs', { token: ingestToken, json: otlpLogs(['items-a', 'items-b'], 5) });
    expect(ok.status).toBe(200);
    expect(await logCount('items-b')).toBe(5);
  });

  it('limits the resources of one OTLP request (413 naming the limit)', async () => {
    const ingest = handlerWith({ VIGIL_INGEST_MAX_RESOURCES: '2' });
    const res = await invoke(ingest, 'POST /v1/logs', {
      token: ingestToken,
      json: otlpLogs(['res-a', 'res-b', 'res-c'], 1),
    });
    expect(res.status).toBe(413);
    expect(res.body.detail).toBe(
      'the request holds 3 resources; at most 2 per request (VIGIL_INGEST_MAX_RESOURCES): split it',
    );
    expect(await logCount('res-a')).toBe(0);
  });
});

describe('the deadline', () => {
  it('writes nothing past it, says what was stored, and the resend completes the rest exactly once', async () => {
    const ingest = handlerWith({});
    const services = ['late-a', 'late-b', 'late-c'];
    const body = otlpLogs(services, 4);
    // Storing the first resource's logs takes 10 s on the pinned clock; the deadline is 2 s away (5 s left
    // in the invocation, 3 s kept back to answer).
    faults.set([
      {
        command: /BatchWriteItem/,
        fault: 'pass',
        times: 1,
        run: () => {
          now += 10_000;
        },
      },
    ]);
    const res = await invoke(ingest, 'POST /v1/logs', { token: ingestToken, json: body, timeoutSeconds: 5 });
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body).toMatchObject({
      status: 503,
      reason: { code: 'deadline-exceeded' },
      storedResources: 1,
      resources: 3,
      stored: { metrics: 0, logs: 4, spans: 0, errors: 0 },
    });
    expect(String(res.body.detail)).toMatch(/^1 of 3 resources stored: the request's deadline passed/);
    expect(faults.seen.filter((c) => c === 'BatchWriteItemCommand')).toHaveLength(1);
    expect([await logCount('late-a'), await logCount('late-b'), await logCount('late-c')]).toEqual([4, 0, 0]);

    faults.reset();
    const resend = await invoke(ingest, 'POST /v1/logs', { token: ingestToken, json: body });
    expect(resend.status).toBe(200);
    expect([await logCount('late-a'), await logCount('late-b'), await logCount('late-c')]).toEqual([4, 4, 4]);
  });

  it('answers 503 with nothing stored when the deadline has passed before the first write', async () => {
    const ingest = handlerWith({});
    const res = await invoke(ingest, 'POST /v1/ingest', {
      token: ingestToken,
      json: { service: 'too-late', logs: [{ message: 'x' }] },
      timeoutSeconds: 3,
    });
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body).toMatchObject({ reason: { code: 'deadline-exceeded' } });
    expect(faults.seen.filter((c) => /BatchWrite|UpdateItem/.test(c))).toEqual([]);
    expect(await logCount('too-late')).toBe(0);
  });
});
