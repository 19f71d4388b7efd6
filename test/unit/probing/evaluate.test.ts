import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../functions/core/probing/evaluate.js';
import type { ProbeResponse } from '../../../functions/core/probing/model.js';
import { TargetSpecSchema } from '../../../functions/core/probing/target-schema.js';

const NOW = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const target = (extra: Record<string, unknown> = {}) =>
  v.parse(TargetSpecSchema, { service: 's', url: 'https://x/health', ...extra });
const response = (extra: Partial<Extract<ProbeResponse, { kind: 'response' }>> = {}): ProbeResponse => ({
  kind: 'response',
  status: 200,
  contentType: 'application/json',
  body: '{"status":"pass","checks":[{"ok":true}]}',
  bodyTruncated: false,
  latencyMs: 42.4,
  ...extra,
});
const healthJson = (status: string, code = 200, output?: string) =>
  response({
    status: code,
    contentType: 'application/health+json; charset=utf-8',
    body: JSON.stringify({ status, output }),
  });

describe('evaluate', () => {
  it.each<[string, Record<string, unknown>, ProbeResponse, 'pass' | 'warn' | 'fail', string | undefined]>([
    ['a 200 passes by default (2xx)', {}, response(), 'pass', undefined],
    ['a 204 passes by default', {}, response({ status: 204, body: '' }), 'pass', undefined],
    ['a 502 fails', {}, response({ status: 502 }), 'fail', 'status 502'],
    ['an explicit status list', { expect: { status: [200] } }, response({ status: 201 }), 'fail', 'status 201'],
    ['a status class', { expect: { status: ['3xx', 404] } }, response({ status: 404 }), 'pass', undefined],
    [
      'transport errors fail with their reason',
      {},
      { kind: 'error', reason: 'timeout after 5000 ms', latencyMs: 5000 },
      'fail',
      'timeout after 5000 ms',
    ],
    [
      'bodyContains',
      { expect: { bodyContains: 'ok' } },
      response({ body: 'nope' }),
      'fail',
      'body did not contain "ok"',
    ],
    [
      'bodyContains on a truncated body says so',
      { expect: { bodyContains: 'ok' } },
      response({ body: 'xxxx', bodyTruncated: true }),
      'fail',
      'body did not contain "ok" (first 4 bytes read)',
    ],
    ['json path equals', { expect: { json: { path: '$.status', equals: 'pass' } } }, response(), 'pass', undefined],
    [
      'json path into arrays',
      { expect: { json: { path: '$.checks[0].ok', equals: true } } },
      response(),
      'pass',
      undefined,
    ],
    [
      'json path mismatch',
      { expect: { json: { path: '$.status', equals: 'ok' } } },
      response(),
      'fail',
      '$.status was "pass", expected "ok"',
    ],
    [
      'json path missing',
      { expect: { json: { path: '$.nope', equals: 1 } } },
      response(),
      'fail',
      '$.nope not found in body',
    ],
    [
      'json expected but not JSON',
      { expect: { json: { path: '$.a', equals: 1 } } },
      response({ body: '<html>' }),
      'fail',
      'body is not JSON',
    ],
    ['health+json warn is degraded', {}, healthJson('warn', 200, 'db slow'), 'warn', 'health status "warn": db slow'],
    ['health+json fail is down, before the status code', {}, healthJson('fail', 503), 'fail', 'health status "fail"'],
    ['health+json pass', {}, healthJson('pass'), 'pass', undefined],
    [
      'latency over the limit is degraded',
      { expect: { maxLatencyMs: 40 } },
      response(),
      'warn',
      'latency 42 ms over 40 ms',
    ],
    [
      'certificate close to expiry is degraded',
      {},
      response({ certificateValidTo: NOW + 3.5 * DAY }),
      'warn',
      'certificate expires in 3 days',
    ],
    ['certificate far from expiry passes', {}, response({ certificateValidTo: NOW + 30 * DAY }), 'pass', undefined],
    [
      'certificate check off with 0',
      { certificateExpiryDays: 0 },
      response({ certificateValidTo: NOW + DAY }),
      'pass',
      undefined,
    ],
    [
      'an expired certificate fails',
      {},
      response({ certificateValidTo: NOW - 2.2 * DAY }),
      'fail',
      'certificate expired 2 days ago',
    ],
    [
      'last day',
      {},
      response({ certificateValidTo: NOW + 3_600_000 }),
      'warn',
      'certificate expires in less than a day',
    ],
    ['a failure wins over a warning', { expect: { maxLatencyMs: 1 } }, response({ status: 500 }), 'fail', 'status 500'],
  ])('%s', (_name, spec, res, level, reason) => {
    const out = evaluate(target(spec), res, NOW);
    expect(out.level).toBe(level);
    expect(out.reason).toBe(reason);
    expect(out.latencyMs).toBe(Math.round(res.latencyMs));
  });
});
