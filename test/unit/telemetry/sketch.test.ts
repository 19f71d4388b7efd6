import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addToBuckets,
  bucketKey,
  bucketValue,
  GAMMA,
  mergeBuckets,
  quantile,
} from '../../../functions/core/telemetry/sketch.js';

const MAX_RELATIVE_ERROR = (GAMMA - 1) / (GAMMA + 1);

describe('log-bucket sketch', () => {
  it.each([
    [1, 'p0'],
    [1.02, 'p1'],
    [1.0201, 'p2'],
    [0, 'z'],
    [1e-12, 'z'],
    [-1, 'n0'],
    [0.5, 'p-35'],
  ])('puts %d in bucket %s', (value, key) => {
    expect(bucketKey(value)).toBe(key);
  });

  it('represents every value within (γ-1)/(γ+1) relative error', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e12, noNaN: true }), fc.boolean(), (magnitude, negative) => {
        const value = negative ? -magnitude : magnitude;
        const estimate = bucketValue(bucketKey(value));
        expect(Math.abs(estimate - value) / Math.abs(value)).toBeLessThanOrEqual(MAX_RELATIVE_ERROR + 1e-12);
      }),
    );
  });

  it('gives quantiles within 2% of the exact nearest-rank quantile, merged or not', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 400 }),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom(0.5, 0.9, 0.95, 0.99),
        (values, parts, q) => {
          // Split across several sketches and merge: the answer must not depend on how values were batched.
          const sketches = Array.from({ length: parts }, () => new Map<string, number>());
          values.forEach((v, i) => {
            addToBuckets(sketches[i % parts]!, v);
          });
          const merged = new Map<string, number>();
          for (const s of sketches) mergeBuckets(merged, s);
          const sorted = [...values].sort((a, b) => a - b);
          const exact = sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
          const got = quantile(merged, q, { min: sorted[0], max: sorted[sorted.length - 1] })!;
          expect(Math.abs(got - exact) / exact).toBeLessThan(0.02);
        },
      ),
    );
  });

  it('gives the high end for the p95 of a few values (nearest rank)', () => {
    const b = new Map<string, number>();
    addToBuckets(b, 12.5);
    addToBuckets(b, 40.1);
    expect(quantile(b, 0.95, { min: 12.5, max: 40.1 })).toBeCloseTo(40.1, 0);
    expect(quantile(b, 0.5, { min: 12.5, max: 40.1 })).toBeCloseTo(12.5, 0);
    expect(quantile(b, 0, { min: 12.5, max: 40.1 })).toBe(12.5);
  });

  it('orders negative, zero and positive buckets by value', () => {
    const buckets = new Map<string, number>();
    for (const v of [-100, -1, 0, 1, 100]) addToBuckets(buckets, v);
    expect(quantile(buckets, 0)).toBeCloseTo(-100, 0);
    expect(quantile(buckets, 0.5)).toBe(0);
    expect(quantile(buckets, 1)).toBeCloseTo(100, 0);
    expect(quantile(new Map(), 0.5)).toBeUndefined();
  });
});
