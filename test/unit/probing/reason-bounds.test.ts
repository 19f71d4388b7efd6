import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { EXCERPT_CHARS, excerpt, TRUNCATED_MARK } from '../../../functions/core/excerpt.js';
import { evaluate, MAX_REASON_CHARS } from '../../../functions/core/probing/evaluate.js';
import type { ProbeResponse } from '../../../functions/core/probing/model.js';
import { TargetSpecSchema } from '../../../functions/core/probing/target-schema.js';

/** Issue #9 item 1: a reason quoted whole response documents (195,022 bytes measured). */
const NOW = Date.UTC(2026, 0, 1);
const CREDENTIALS = {
  Code: 'Success',
  Type: 'AWS-HMAC',
  AccessKeyId: 'ASIAFAKEFAKEFAKEFAKE',
  SecretAccessKey: 'fake/secret/key/that/must/never/appear/in/a/reason',
  Token: 'T'.repeat(5_000),
};
const target = (expect: Record<string, unknown>) =>
  v.parse(TargetSpecSchema, { service: 's', url: 'https://x/health', expect });
const response = (body: string, contentType = 'application/json'): ProbeResponse => ({
  kind: 'response',
  status: 200,
  contentType,
  body,
  bodyTruncated: false,
  latencyMs: 1,
});

describe('reasons quote a bounded excerpt, never a document', () => {
  it('a JSON mismatch on an object describes its shape, not its contents', () => {
    const out = evaluate(target({ json: { path: '$', equals: 'z' } }), response(JSON.stringify(CREDENTIALS)), NOW);
    expect(out).toMatchObject({ level: 'fail', reasonCode: 'json-mismatch' });
    expect(out.reason).toBe('$ was an object with 5 keys, expected "z"');
  });

  it('a JSON mismatch on an array gives its length', () => {
    const out = evaluate(target({ json: { path: '$.a', equals: 1 } }), response('{"a":[1,2,3]}'), NOW);
    expect(out.reason).toBe('$.a was an array of 3 items, expected 1');
  });

  it('a long string value is cut at the excerpt limit and marked', () => {
    const long = 'x'.repeat(10_000);
    const out = evaluate(target({ json: { path: '$.v', equals: 'ok' } }), response(JSON.stringify({ v: long })), NOW);
    expect(out.reason).toBe(`$.v was "${'x'.repeat(EXCERPT_CHARS - 1)}${TRUNCATED_MARK}, expected "ok"`);
  });

  it("a health document's output is an excerpt", () => {
    const body = JSON.stringify({ status: 'fail', output: JSON.stringify(CREDENTIALS) });
    const out = evaluate(target({}), response(body, 'application/health+json'), NOW);
    expect(out.reasonCode).toBe('health-fail');
    expect(out.reason?.length).toBeLessThanOrEqual(MAX_REASON_CHARS);
    expect(out.reason).toContain(TRUNCATED_MARK);
    expect(out.reason).not.toContain(CREDENTIALS.Token.slice(0, 300));
  });

  it("a transport error's message is bounded too", () => {
    const out = evaluate(target({}), { kind: 'error', reason: `TLS error: ${'y'.repeat(5_000)}`, latencyMs: 1 }, NOW);
    expect(out.reason?.length).toBeLessThanOrEqual(MAX_REASON_CHARS + TRUNCATED_MARK.length);
    expect(out.reasonCode).toBe('probe-error');
  });

  it('every reason stays short whatever the body (generated bodies and paths)', async () => {
    const fc = await import('fast-check');
    fc.assert(
      fc.property(fc.json({ maxDepth: 4 }), fc.constantFrom('$', '$.a', '$.a[0]', '$.status'), (body, path) => {
        const doc = JSON.stringify({ a: [JSON.parse(body)], status: JSON.parse(body), blob: 'b'.repeat(1_000) });
        const out = evaluate(target({ json: { path, equals: '__never__' } }), response(doc), NOW);
        expect(out.reason?.length ?? 0).toBeLessThanOrEqual(MAX_REASON_CHARS + TRUNCATED_MARK.length);
        expect(out.reason ?? '').not.toContain('b'.repeat(300));
      }),
      { numRuns: 300 },
    );
  });

  it('excerpt keeps short text and cuts on characters, not code units', () => {
    expect(excerpt('short')).toBe('short');
    expect(excerpt('😀'.repeat(3), 2)).toBe(`😀😀${TRUNCATED_MARK}`);
  });
});
