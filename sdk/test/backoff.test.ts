import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, isRetryableStatus, parseRetryAfter, retryDelay } from '../src/export/backoff.js';

describe('backoff', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0.5 ', now)).toBe(500);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('retries 429, 408 and 5xx only', () => {
    expect([400, 401, 403, 404, 413, 422].map(isRetryableStatus)).toEqual([false, false, false, false, false, false]);
    expect([408, 409, 429, 500, 502, 503, 504].map(isRetryableStatus)).toEqual([true, true, true, true, true, true, true]);
  });

  it('keeps jittered delays within [0, min(max, initial·2^attempt)]', () => {
    fc.assert(
      fc.property(
        fc.nat(60),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.double({ min: 0, max: 0.9999999, noNaN: true }),
        (attempt, initial, max, r) => {
          const d = backoffDelay(attempt, initial, max, () => r);
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(Math.min(max, initial * 2 ** attempt));
        },
      ),
    );
    expect(backoffDelay(3, 100, 10_000, () => 0.999999)).toBe(799);
  });

  it('lets Retry-After win over the backoff, capped', () => {
    expect(retryDelay(0, 2000, 100, 1000, 60_000, () => 0)).toBe(2000);
    expect(retryDelay(0, 999_999, 100, 1000, 60_000, () => 0)).toBe(60_000);
    expect(retryDelay(2, undefined, 100, 1000, 60_000, () => 0.5)).toBe(200);
  });
});
