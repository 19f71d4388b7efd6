import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';

let vigil: TestVigil;
let ingestToken: string;
let readToken: string;

beforeAll(async () => {
  vigil = await startTestVigil({ VIGIL_MAX_SERIES_PER_SERVICE: '20' });
  [ingestToken, readToken] = await Promise.all([
    vigil.mintToken(['ingest'], 'ingest'),
    vigil.mintToken(['read'], 'read'),
  ]);
});
afterAll(() => vigil?.close());

const send = (json: unknown, headers: Record<string, string> = {}) =>
  vigil.request('/v1/ingest', { method: 'POST', json, token: ingestToken, headers });

async function query(params: Record<string, string>) {
  const res = await vigil.request(`/v1/metrics/query?${new URLSearchParams(params)}`, { token: readToken });
  expect(res.status).toBe(200);
  return (await res.json()) as { series: { tags: Record<string, string>; points: [number, number][] }[] };
}

const totalOf = (series: { points: [number, number][] }[]) =>
  series.flatMap((s) => s.points).reduce((a, [, v]) => a + v, 0);

describe('metrics ingestion and query', () => {
  it('keeps every datapoint of concurrent batches: exact count and sum', async () => {
    const now = Date.now();
    const batches = Array.from({ length: 12 }, (_, b) => ({
      service: 'checkout',
      version: '1.0.0',
      metrics: Array.from({ length: 50 }, (_, i) => ({
        name: 'orders.placed',
        type: 'counter',
        value: (b * 50 + i) % 7,
        tags: { region: i % 2 ? 'eu' : 'us' },
        timestamp: now - (i % 3) * 60_000,
      })),
    }));
    const expectedSum = batches.flatMap((b) => b.metrics).reduce((a, m) => a + m.value, 0);
    const answers = await Promise.all(batches.map((b) => send(b)));
    for (const res of answers) {
      expect(res.status).toBe(202);
      expect(((await res.json()) as { accepted: { metrics: number } }).accepted.metrics).toBe(50);
    }
    const range = { service: 'checkout', name: 'orders.placed', from: '-10m', to: 'now' };
    expect(totalOf((await query({ ...range, stat: 'count' })).series)).toBe(600);
    expect(totalOf((await query({ ...range, stat: 'sum' })).series)).toBe(expectedSum);
    const byRegion = await query({ ...range, stat: 'count', groupBy: 'region', step: '1h' });
    expect(byRegion.series.map((s) => [s.tags.region, totalOf([s])])).toEqual([
      ['eu', 300],
      ['us', 300],
    ]);
    const eu = await query({ ...range, stat: 'count', tags: 'region:eu' });
    expect(totalOf(eu.series)).toBe(300);
  });

  it('gives p95 within 2% of the exact value, and exact min, max and avg', async () => {
    const values = Array.from({ length: 2_000 }, (_, i) => 1 + ((i * 7919) % 2_000) * 0.37);
    const batches = [0, 1, 2, 3].map((k) => ({
      service: 'latency',
      metrics: [
        { name: 'http.server.duration', type: 'histogram', unit: 'ms', values: values.slice(k * 500, k * 500 + 500) },
      ],
    }));
    await Promise.all(batches.map((b) => send(b)));
    const sorted = [...values].sort((a, b) => a - b);
    // Nearest rank: the smallest value with at least q·n values at or below it.
    const exact = (q: number) => sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
    const stat = async (s: string) =>
      (await query({ service: 'latency', name: 'http.server.duration', stat: s, step: '1h', from: '-2h' })).series[0]!
        .points[0]![1];
    for (const q of [50, 90, 95, 99]) {
      const got = await stat(`p${q}`);
      expect(Math.abs(got - exact(q / 100)) / exact(q / 100)).toBeLessThan(0.02);
    }
    expect(await stat('count')).toBe(2_000);
    expect(await stat('min')).toBe(sorted[0]);
    expect(await stat('max')).toBe(sorted[sorted.length - 1]);
    expect(await stat('avg')).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 6);
  });

  it('applies a batch once however often it is retried with the same Idempotency-Key', async () => {
    const batch = { service: 'retry', metrics: [{ name: 'jobs.done', type: 'counter', value: 5 }] };
    const headers = { 'idempotency-key': 'batch-0001' };
    const first = await send(batch, headers);
    expect(first.status).toBe(202);
    const firstBody = await first.json();
    for (let i = 0; i < 3; i++) {
      const again = await send(batch, headers);
      expect(again.status).toBe(202);
      expect(await again.json()).toEqual(firstBody);
    }
    const other = await send(batch, { 'idempotency-key': 'batch-0002' });
    expect(other.status).toBe(202);
    const reused = await send({ ...batch, metrics: [{ name: 'jobs.done', type: 'counter', value: 9 }] }, headers);
    expect(reused.status).toBe(422);
    const res = await query({ service: 'retry', name: 'jobs.done', stat: 'sum', step: '1h', from: '-2h' });
    expect(totalOf(res.series)).toBe(10);
  });

  it('keeps good items, lists bad ones by path, and refuses a batch with nothing valid', async () => {
    const res = await send({
      service: 'mixed',
      metrics: [
        { name: 'ok.metric', type: 'gauge', value: 1 },
        { name: 'bad value', type: 'gauge', value: 'x' },
        { name: 'ok.metric', type: 'gauge', value: Number.POSITIVE_INFINITY },
      ],
      logs: [{ message: 'hello' }, { level: 'loud', message: 'x' }],
    });
    expect(res.status).toBe(202);
    const body = (await res.json()) as {
      accepted: Record<string, number>;
      rejected: { path: string; reason: string }[];
    };
    expect(body.accepted).toEqual({ metrics: 1, logs: 1, spans: 0, errors: 0 });
    expect(body.rejected.map((r) => r.path)).toEqual(
      expect.arrayContaining(['metrics[1].name', 'metrics[1].value', 'logs[1].level']),
    );
    const none = await send({ service: 'mixed', metrics: [{ name: 'x', type: 'nope' }] });
    expect(none.status).toBe(400);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    const noService = await send({ metrics: [] });
    expect(noService.status).toBe(400);
  });

  it('refuses new series past the per-service limit, with a reason', async () => {
    const metrics = Array.from({ length: 30 }, (_, i) => ({
      name: 'wide',
      type: 'counter',
      value: 1,
      tags: { id: String(i) },
    }));
    const res = await send({ service: 'wide', metrics });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { accepted: { metrics: number }; rejected: { path: string; reason: string }[] };
    expect(body.accepted.metrics).toBe(20);
    expect(body.rejected).toHaveLength(10);
    expect(body.rejected[0]!.reason).toMatch(/limit of 20/);
    const again = await send({ service: 'wide', metrics: metrics.slice(0, 5) });
    expect(((await again.json()) as { accepted: { metrics: number } }).accepted.metrics).toBe(5);
  });

  it('answers 403 to a token without the ingest scope, 415 to protobuf on the native route, 400 to bad protobuf', async () => {
    expect(
      (await vigil.request('/v1/ingest', { method: 'POST', json: { service: 'x' }, token: readToken })).status,
    ).toBe(403);
    const send = (path: string) =>
      vigil.request(path, {
        method: 'POST',
        body: new Uint8Array([1, 2, 3]),
        headers: { 'content-type': 'application/x-protobuf' },
        token: ingestToken,
      });
    const native = await send('/v1/ingest');
    expect(native.status).toBe(415);
    expect(await native.text()).toContain('application/json');
    const otlp = await send('/v1/traces');
    expect(otlp.status).toBe(400);
    expect(await otlp.text()).toContain('ExportTraceServiceRequest');
  });
});
