import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { toEvent } from '../../lib/local/gateway.js';
import { schedule } from '../../lib/local/scheduler.js';

function request(url: string, headers: Record<string, string | string[]>, method = 'POST'): IncomingMessage {
  const req = Readable.from([]) as unknown as IncomingMessage;
  Object.assign(req, { url, method, headers, httpVersion: '1.1', socket: { remoteAddress: '127.0.0.1' } });
  return req;
}

describe('local gateway event translation', () => {
  it('builds an API Gateway v2 event like HTTP API does', () => {
    const req = request('/v1/tokens/abc?x=1&x=2&y=z', {
      'content-type': 'application/json',
      cookie: 'a=1; b=2',
      'x-multi': ['p', 'q'],
    });
    const event = toEvent(req, Buffer.from('{"a":1}'), 'DELETE /v1/tokens/{id}', { id: 'abc' });
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'DELETE /v1/tokens/{id}',
      rawPath: '/v1/tokens/abc',
      rawQueryString: 'x=1&x=2&y=z',
      cookies: ['a=1', 'b=2'],
      queryStringParameters: { x: '1,2', y: 'z' },
      pathParameters: { id: 'abc' },
      body: '{"a":1}',
      isBase64Encoded: false,
      requestContext: {
        http: { method: 'POST', path: '/v1/tokens/abc' },
        routeKey: 'DELETE /v1/tokens/{id}',
        stage: '$default',
      },
    });
    expect(event.headers['x-multi']).toBe('p,q');
    expect(event.headers.cookie).toBeUndefined();
  });

  it('base64-encodes binary bodies', () => {
    const bytes = Buffer.from([0, 1, 2, 255]);
    const event = toEvent(
      request('/v1/traces', { 'content-type': 'application/x-protobuf' }),
      bytes,
      'POST /v1/traces',
      {},
    );
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body!, 'base64')).toEqual(bytes);
  });
});

describe('local scheduler', () => {
  it('never overlaps runs: runNow during a run waits for it, then runs once more for all who asked', async () => {
    let runs = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    const releases: (() => void)[] = [];
    const s = schedule(
      'probe',
      3600,
      async () => {
        runs++;
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise<void>((r) => releases.push(r));
        inFlight--;
      },
      () => undefined,
    );
    const a = s.runNow();
    await new Promise((r) => setTimeout(r, 5));
    // Both asked while the first run was going: it had decided what was due before they asked.
    const b = s.runNow();
    const c = s.runNow();
    releases.shift()?.();
    await a;
    await new Promise((r) => setTimeout(r, 5));
    releases.shift()?.();
    await Promise.all([b, c]);
    expect(runs).toBe(2);
    expect(maxInFlight).toBe(1);
    await s.stop();
  });

  it('reports a failed run and keeps going', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const s = schedule(
      'probe',
      3600,
      async () => {
        calls++;
        throw new Error('boom');
      },
      (e) => errors.push(e),
    );
    await s.runNow();
    await s.runNow();
    expect(calls).toBe(2);
    expect(errors.map((e) => (e as Error).message)).toEqual(['boom', 'boom']);
    await s.stop();
  });
});
