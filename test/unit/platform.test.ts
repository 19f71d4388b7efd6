import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { MethodNotAllowedError, NotFoundError, ValidationError } from '../../functions/core/errors.js';
import { isLive, ttlAfter } from '../../functions/core/expiry.js';
import { healthHttpStatus, healthReport } from '../../functions/core/health-report.js';
import { parse } from '../../functions/core/validate.js';
import { decodeBody } from '../../functions/platform/body.js';
import { problemResponse } from '../../functions/platform/problem.js';

const opts = { maxBytes: 64, accepts: ['application/json'] };

describe('decodeBody', () => {
  it.each([
    ['{"a":1}', 'application/json', { a: 1 }],
    ['{"a":1}', 'application/json; charset=utf-8', { a: 1 }],
    ['', 'application/json', undefined],
  ])('parses %s as %s', (body, type, json) => {
    expect(decodeBody(body, false, type, opts).json).toEqual(json);
  });

  it.each([
    ['{bad', 'application/json', 400, 'not valid JSON'],
    ['{}', 'text/plain', 415, 'text/plain is not accepted'],
    ['{}', undefined, 415, 'missing content-type'],
    [`"${'x'.repeat(80)}"`, 'application/json', 413, 'limit is 64 bytes'],
  ])('rejects %s (%s) with %i', (body, type, status, message) => {
    const err = (() => {
      try {
        decodeBody(body, false, type, opts);
      } catch (e) {
        return e as { status: number; message: string };
      }
    })();
    expect(err?.status).toBe(status);
    expect(err?.message).toContain(message);
  });

  it('decompresses gzip, deflate and br bodies, and refuses bombs and unknown encodings', () => {
    const json = Buffer.from('{"hello":"world"}');
    for (const [encoding, packed] of [
      ['gzip', gzipSync(json)],
      ['deflate', deflateSync(json)],
      ['br', brotliCompressSync(json)],
    ] as const) {
      const body = packed.toString('base64');
      expect(decodeBody(body, true, 'application/json', { ...opts, contentEncoding: encoding }).json).toEqual({
        hello: 'world',
      });
    }
    const bomb = gzipSync(Buffer.alloc(10_000, 32)).toString('base64');
    expect(() => decodeBody(bomb, true, 'application/json', { ...opts, contentEncoding: 'gzip' })).toThrow(
      /decompresses to more than/,
    );
    expect(() => decodeBody('x', false, 'application/json', { ...opts, contentEncoding: 'zstd' })).toThrow(
      /zstd is not supported/,
    );
    expect(() => decodeBody('bm90Z3o=', true, 'application/json', { ...opts, contentEncoding: 'gzip' })).toThrow(
      /not valid gzip/,
    );
  });

  it('decodes base64 bodies and checks the decoded size', () => {
    expect(decodeBody(Buffer.from('{"x":2}').toString('base64'), true, 'application/json', opts).json).toEqual({
      x: 2,
    });
  });
});

describe('problem+json', () => {
  it('carries the field paths of a validation error', () => {
    const res = problemResponse(
      new ValidationError([{ path: 'metrics[3].value', message: 'must be finite' }]),
      '/v1/x',
      'r1',
    );
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(res.body)).toMatchObject({
      status: 400,
      instance: '/v1/x',
      requestId: 'r1',
      errors: [{ path: 'metrics[3].value', message: 'must be finite' }],
    });
  });

  it('sets Allow on 405 and hides internals of unexpected errors', () => {
    expect(problemResponse(new MethodNotAllowedError('no', ['GET'])).headers.allow).toBe('GET');
    expect(problemResponse(new NotFoundError('gone')).statusCode).toBe(404);
    const res = problemResponse(new Error('secret stack detail'));
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret');
  });
});

describe('validation paths', () => {
  it('names nested fields like metrics[1].tags.route', () => {
    const schema = v.object({ metrics: v.array(v.object({ tags: v.record(v.string(), v.string()) })) });
    const err = (() => {
      try {
        parse(schema, { metrics: [{ tags: {} }, { tags: { route: 5 } }] });
      } catch (e) {
        return e as ValidationError;
      }
    })();
    expect(err?.violations.map((x) => x.path)).toEqual(['metrics[1].tags.route']);
  });
});

describe('expiry and health', () => {
  it('treats items past their TTL as gone', () => {
    const now = 1_700_000_000_000;
    expect(isLive({ expiresAt: ttlAfter(now, 60) }, now)).toBe(true);
    expect(isLive({ expiresAt: ttlAfter(now, 60) }, now + 61_000)).toBe(false);
    expect(isLive({}, now)).toBe(true);
  });

  it('reports the worst check and maps fail to 503', () => {
    const time = 'now';
    const r = healthReport(
      { serviceId: 's', description: 'd' },
      {
        'a:x': [{ status: 'pass', time }],
        'b:y': [{ status: 'warn', time }],
      },
    );
    expect(r.status).toBe('warn');
    expect(healthHttpStatus('warn')).toBe(200);
    expect(healthHttpStatus('fail')).toBe(503);
  });
});
