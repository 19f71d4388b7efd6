import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyConnectionOptions, resetResource } from '../src/config/resource.js';
import { vigilPipe } from '../src/export/vigil-pipe.js';
import { getDiagnostics, resetDiagnostics } from '../src/internal/diagnostics.js';
import { ingested, type Recorder, startRecorder } from './helpers/recorder.js';

let recorder: Recorder;

function log(message: string) {
  return { kind: 'log' as const, data: { timestamp: Date.now(), level: 'info', message } };
}

beforeEach(async () => {
  recorder = await startRecorder();
  resetDiagnostics();
  resetResource({});
  applyConnectionOptions(
    {
      endpoint: recorder.url,
      token: 'tok',
      serviceName: 'checkout',
      environment: 'test',
      flushIntervalMs: 60_000,
      maxBatchSize: 3,
      initialBackoffMs: 20,
      maxBackoffMs: 100,
      maxRetries: 4,
    },
    {},
  );
});

afterEach(async () => {
  await vigilPipe.shutdown(200);
  await recorder.close();
});

describe('Vigil pipe batching and retries', () => {
  it('sends batches of at most maxBatchSize with the envelope, token and an idempotency key', async () => {
    for (let i = 0; i < 7; i++) vigilPipe.add(log(`m${i}`));
    await vigilPipe.flush();
    expect(recorder.requests.map((r) => r.body.logs.length)).toEqual([3, 3, 1]);
    const first = recorder.requests[0]!;
    expect(first.headers.authorization).toBe('Bearer tok');
    expect(first.headers['content-type']).toBe('application/json');
    expect(first.body).toMatchObject({ service: 'checkout', environment: 'test' });
    const keys = new Set(recorder.requests.map((r) => r.headers['idempotency-key']));
    expect(keys.size).toBe(3);
    expect(ingested(recorder.requests, 'logs').map((l) => l.message)).toEqual([
      'm0',
      'm1',
      'm2',
      'm3',
      'm4',
      'm5',
      'm6',
    ]);
  });

  it('flushes by size without being asked', async () => {
    for (let i = 0; i < 3; i++) vigilPipe.add(log(`m${i}`));
    await recorder.waitFor((r) => r.length === 1);
    expect(recorder.requests[0]!.body.logs).toHaveLength(3);
  });

  it('a size-triggered drain sends only full batches; the rest waits for the interval or a flush', async () => {
    // Under steady load, a drain that kept sending whatever had arrived during the last round trip
    // would become a stream of tiny requests (one per round trip), each costing the service CPU.
    for (let i = 0; i < 4; i++) vigilPipe.add(log(`m${i}`));
    await recorder.waitFor((r) => r.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(recorder.requests.map((r) => r.body.logs.length)).toEqual([3]);
    for (let i = 4; i < 6; i++) vigilPipe.add(log(`m${i}`));
    await recorder.waitFor((r) => r.length === 2);
    expect(recorder.requests.map((r) => r.body.logs.length)).toEqual([3, 3]);
    vigilPipe.add(log('m6'));
    await vigilPipe.flush();
    expect(recorder.requests.map((r) => r.body.logs.length)).toEqual([3, 3, 1]);
  });

  it('a flush during a drain still sends everything queued', async () => {
    recorder.respond(() => ({ status: 202, body: { accepted: {} }, delayMs: 50 }));
    for (let i = 0; i < 3; i++) vigilPipe.add(log(`a${i}`));
    await new Promise((resolve) => setTimeout(resolve, 10)); // the size-triggered drain is now in flight
    vigilPipe.add(log('late'));
    await vigilPipe.flush();
    expect(ingested(recorder.requests, 'logs').map((l) => l.message)).toEqual(['a0', 'a1', 'a2', 'late']);
  });

  it('retries 503 honouring Retry-After, with the same idempotency key', async () => {
    recorder.respond((_req, i) =>
      i === 0 ? { status: 503, headers: { 'retry-after': '1' } } : { status: 202, body: { accepted: {} } },
    );
    vigilPipe.add(log('once'));
    await vigilPipe.flush();
    expect(recorder.requests).toHaveLength(2);
    const [a, b] = recorder.requests as [(typeof recorder.requests)[0], (typeof recorder.requests)[0]];
    expect(b.at - a.at).toBeGreaterThanOrEqual(950);
    expect(b.headers['idempotency-key']).toBe(a.headers['idempotency-key']);
    expect(getDiagnostics().exportFailures).toBe(1);
  });

  it('retries 429 and 500, then succeeds', async () => {
    const statuses = [429, 500, 502];
    recorder.respond((_req, i) => ({ status: statuses[i] ?? 202 }));
    vigilPipe.add(log('x'));
    await vigilPipe.flush();
    expect(recorder.requests).toHaveLength(4);
    expect(ingested(recorder.requests.slice(3), 'logs')).toHaveLength(1);
  });

  it('never retries a 400, and counts the batch as dropped', async () => {
    recorder.respond(() => ({ status: 400, body: { rejected: [{ path: 'logs[0].message', reason: 'bad' }] } }));
    vigilPipe.add(log('a'));
    vigilPipe.add(log('b'));
    await vigilPipe.flush();
    expect(recorder.requests).toHaveLength(1);
    expect(getDiagnostics().dropped['log:rejected']).toBe(2);
  });

  it('gives up after maxRetries and counts the drop', async () => {
    recorder.respond(() => ({ status: 500 }));
    vigilPipe.add(log('a'));
    await vigilPipe.flush();
    expect(recorder.requests).toHaveLength(5); // 1 + 4 retries
    expect(getDiagnostics().dropped['log:retries_exhausted']).toBe(1);
  });

  it('bounds the buffer, counts what it drops, and reports the count to Vigil', async () => {
    applyConnectionOptions({ maxQueueSize: 5, maxBatchSize: 100 }, {});
    for (let i = 0; i < 12; i++) vigilPipe.add(log(`m${i}`));
    expect(vigilPipe.size).toBe(5);
    expect(getDiagnostics().dropped['log:queue_full']).toBe(7);
    await vigilPipe.flush();
    expect(ingested(recorder.requests, 'logs')).toHaveLength(5);
    const report = ingested(recorder.requests, 'metrics').find((m) => m.name === 'vigil.sdk.dropped');
    expect(report).toMatchObject({ type: 'counter', value: 7, tags: { kind: 'log', reason: 'queue_full' } });
  });

  it('counts items the server rejected inside an accepted batch', async () => {
    recorder.respond(() => ({
      status: 202,
      body: { accepted: { logs: 1 }, rejected: [{ path: 'logs[1].message', reason: 'too long' }] },
    }));
    vigilPipe.add(log('a'));
    vigilPipe.add(log('b'));
    await vigilPipe.flush();
    expect(getDiagnostics().dropped['log:rejected']).toBe(1);
  });

  it('keeps data while Vigil is down and delivers it when Vigil is back', async () => {
    const port = recorder.port;
    await recorder.close();
    applyConnectionOptions({ maxRetries: 1000, initialBackoffMs: 10, maxBackoffMs: 50 }, {});
    for (let i = 0; i < 4; i++) vigilPipe.add(log(`down${i}`));
    const flushing = vigilPipe.flush();
    await new Promise((r) => setTimeout(r, 300));
    expect(vigilPipe.size).toBe(4);
    recorder = await startRecorder(port);
    await flushing;
    expect(ingested(recorder.requests, 'logs').map((l) => l.message)).toEqual(['down0', 'down1', 'down2', 'down3']);
    expect(getDiagnostics().dropped).toEqual({});
  });

  it('a flush with a timeout returns on time and keeps the batch for later', async () => {
    recorder.respond(() => ({ status: 503, headers: { 'retry-after': '30' } }));
    vigilPipe.add(log('later'));
    // Without the timeout the flush would wait out the 30 s Retry-After, past the test's own timeout.
    await vigilPipe.flush(200);
    expect(vigilPipe.size).toBe(1);
    expect(recorder.requests).toHaveLength(1);
    recorder.respond(() => ({ status: 202 }));
    await vigilPipe.flush();
    expect(ingested(recorder.requests, 'logs').filter((l) => l.message === 'later')).toHaveLength(2);
    expect(recorder.requests.at(-1)!.headers['idempotency-key']).toBe(recorder.requests[0]!.headers['idempotency-key']);
  });
});

describe('the HTTP sender', () => {
  it('gives up on a request that hangs past its timeout (retryable), and rejects a bad endpoint without retrying', async () => {
    const { postJson } = await import('../src/export/http-sender.js');
    recorder.respond(() => ({ status: 202, delayMs: 2000 }));
    const hung = await postJson(`${recorder.url}/v1/ingest`, '{}', {}, 100);
    expect(hung).toMatchObject({ ok: false, retryable: true });
    expect(hung.error).toContain('timed out after 100 ms');
    expect(await postJson('ftp://example.invalid/x', '{}', {}, 100)).toMatchObject({ ok: false, retryable: false });
    recorder.respond(() => ({ status: 202, body: { accepted: { logs: 1 } } }));
    expect(await postJson(`${recorder.url}/v1/ingest`, '{"service":"s"}', {}, 1000)).toMatchObject({
      ok: true,
      status: 202,
      body: { accepted: { logs: 1 } },
    });
    expect(recorder.requests.at(-1)!.headers['content-length']).toBe('15');
  });
});
