import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHandler } from '../../functions/ingest/handler.js';
import { type ApiHandler, invoke } from '../support/ingest-invoker.js';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';
import { faultInjector } from '../support/storage-faults.js';

/**
 * Issue #15 item 3 (ingestion): DynamoDB throttling, 5xx and timeouts injected by AWS SDK middleware on the
 * ingest function's real client (dynalite behind it). Short faults are retried with backoff and the batch is
 * stored exactly; lasting ones answer 503 problem+json with Retry-After, and the client's retry stores the
 * batch once (with its Idempotency-Key, or for OTLP the same body).
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

const native = (service: string, value: number) => ({
  service,
  metrics: [{ name: 'jobs.done', type: 'counter', value }],
  logs: [{ level: 'warn', message: `${service} log` }],
});

const otlpMetrics = (service: string, value: number) => {
  const ns = BigInt(Date.now()) * 1_000_000n;
  return {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeMetrics: [
          {
            metrics: [
              {
                name: 'jobs.done',
                sum: {
                  aggregationTemporality: 1,
                  isMonotonic: true,
                  dataPoints: [
                    { asInt: String(value), startTimeUnixNano: String(ns - 10_000_000_000n), timeUnixNano: String(ns) },
                  ],
                },
              },
            ],
          },
        ],
      },
    ],
  };
};

async function sumOf(service: string) {
  const res = await vigil.request(`/v1/metrics/query?service=${service}&name=jobs.done&stat=sum&step=1h&from=-2h`, {
    token: readToken,
  });
  const body = (await res.json()) as { series: { points: [number, number][] }[] };
  return body.series.flatMap((s) => s.points).reduce((a, [, v]) => a + v, 0);
}

async function logsOf(service: string) {
  const res = await vigil.request(`/v1/logs?service=${service}&from=-1h`, { token: readToken });
  return ((await res.json()) as { items: { message: string }[] }).items.map((l) => l.message);
}

const rollupOf = (service: string) => new RegExp(`"M#${service}#`);

describe('storage faults during ingestion', () => {
  it('retries a throttled write with backoff and stores the batch exactly', async () => {
    faults.set([{ command: /UpdateItem/, input: rollupOf('throttled'), fault: 'throttle', times: 2 }]);
    const res = await invoke(ingest, 'POST /v1/ingest', { token: ingestToken, json: native('throttled', 4) });
    expect(res.status).toBe(202);
    expect(faults.injected).toEqual([
      { command: 'UpdateItemCommand', fault: 'throttle' },
      { command: 'UpdateItemCommand', fault: 'throttle' },
    ]);
    expect(await sumOf('throttled')).toBe(4);
  });

  it('retries a timed-out write that was applied without counting it twice', async () => {
    faults.set([{ command: /UpdateItem/, input: rollupOf('lost-answer'), fault: 'timeout-after', times: 1 }]);
    const res = await invoke(ingest, 'POST /v1/ingest', { token: ingestToken, json: native('lost-answer', 3) });
    expect(res.status).toBe(202);
    expect(faults.injected).toHaveLength(1);
    expect(await sumOf('lost-answer')).toBe(3);
  });

  it('answers 503 problem+json with Retry-After while storage stays unavailable; the retry stores it once', async () => {
    faults.set([{ command: /BatchWriteItem/, fault: 'server-error' }]);
    const key = { 'idempotency-key': 'outage-1' };
    const res = await invoke(ingest, 'POST /v1/ingest', {
      token: ingestToken,
      json: native('outage', 6),
      headers: key,
    });
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.body).toMatchObject({
      status: 503,
      title: 'Service unavailable',
      reason: { code: 'storage-unavailable' },
    });
    expect(String(res.body.detail)).toMatch(/^storage is unavailable \(6 attempts\); send the request again later/);
    expect(faults.injected.length).toBe(6);

    faults.reset();
    const retry = await invoke(ingest, 'POST /v1/ingest', {
      token: ingestToken,
      json: native('outage', 6),
      headers: key,
    });
    expect(retry.status).toBe(202);
    expect(await sumOf('outage')).toBe(6);
    expect(await logsOf('outage')).toEqual(['outage log']);
  });

  it('an OTLP exporter retrying the same body on 503 (no Idempotency-Key) does not double count', async () => {
    const body = otlpMetrics('otlp-outage', 7);
    // The first write is applied and its answer lost; every later call times out before reaching DynamoDB.
    faults.set([
      { command: /UpdateItem/, input: rollupOf('otlp-outage'), fault: 'timeout-after', times: 1 },
      { command: /UpdateItem|GetItem/, input: rollupOf('otlp-outage'), fault: 'timeout-before' },
    ]);
    const res = await invoke(ingest, 'POST /v1/metrics', { token: ingestToken, json: body });
    expect(res.status).toBe(503);
    expect(res.body.reason).toMatchObject({ code: 'storage-timeout' });
    faults.reset();
    // Applied once by the first attempt (its answers were lost), then every retry found its mark.
    expect(await sumOf('otlp-outage')).toBe(7);
    const retry = await invoke(ingest, 'POST /v1/metrics', { token: ingestToken, json: body });
    expect(retry.status).toBe(200);
    expect(await sumOf('otlp-outage')).toBe(7);
    // A new export (new time window, new bytes) is new data.
    expect(
      (await invoke(ingest, 'POST /v1/metrics', { token: ingestToken, json: otlpMetrics('otlp-outage', 1) })).status,
    ).toBe(200);
    expect(await sumOf('otlp-outage')).toBe(8);
  });

  it('answers 503 when the idempotency record cannot be written', async () => {
    faults.set([{ command: /PutItem/, input: /idempotency/, fault: 'server-error' }]);
    const res = await invoke(ingest, 'POST /v1/ingest', {
      token: ingestToken,
      json: native('idem-down', 1),
      headers: { 'idempotency-key': 'idem-down-1' },
    });
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
    faults.reset();
    expect(await sumOf('idem-down')).toBe(0);
  });
});
