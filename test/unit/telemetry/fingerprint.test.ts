import { describe, expect, it } from 'vitest';
import { groupErrors } from '../../../functions/core/telemetry/error-groups.js';
import { fingerprint, normaliseMessage, parseStack } from '../../../functions/core/telemetry/fingerprint.js';

const stack = (line: number, dir = '/app') => `TypeError: x is undefined
    at applyDiscount (${dir}/src/cart/discount.ts:${line}:11)
    at Array.map (<anonymous>)
    at checkout (${dir}/src/cart/checkout.ts:${line + 30}:5)
    at Layer.handle (${dir}/node_modules/express/lib/router/layer.js:95:5)
    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)`;

describe('error fingerprints', () => {
  it('keeps in-app frames and drops library and runtime frames', () => {
    expect(
      parseStack(stack(10))
        .filter((f) => f.inApp)
        .map((f) => `${f.fn} ${f.file}`),
    ).toEqual(['applyDiscount cart/discount.ts', 'checkout cart/checkout.ts']);
  });

  it('groups the same bug across deploys (line numbers, paths) and messages with different ids', () => {
    const a = fingerprint('TypeError', 'order 42 failed', stack(10));
    const b = fingerprint('TypeError', 'order 97 failed', stack(14, '/var/task'));
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.frames).toEqual(['applyDiscount (cart/discount.ts)', 'checkout (cart/checkout.ts)']);
  });

  it.each([
    ['TypeError', 'RangeError', stack(10), stack(10)],
    ['TypeError', 'TypeError', stack(10), stack(10).replace('applyDiscount', 'applyCoupon')],
  ])('separates %s/%s with different frames or types', (t1, t2, s1, s2) => {
    expect(fingerprint(t1, 'm', s1).fingerprint).not.toBe(fingerprint(t2, 'm', s2).fingerprint);
  });

  it('falls back to the normalised message without a stack', () => {
    expect(normaliseMessage('user 1234 not found in "eu-west" (id 3f2a9c1e-1111-2222-3333-444455556666)')).toBe(
      'user <n> not found in <str> (id <uuid>)',
    );
    expect(fingerprint('E', 'timeout after 3000 ms').fingerprint).toBe(
      fingerprint('E', 'timeout after 5000 ms').fingerprint,
    );
    expect(fingerprint('E', 'timeout').fingerprint).not.toBe(fingerprint('E', 'refused').fingerprint);
  });

  it('folds a batch per fingerprint with count, first/last seen, versions and the latest sample', () => {
    const event = (timestamp: number, version: string, message: string) => ({
      service: 's',
      environment: 'prod',
      version,
      type: 'TypeError',
      message,
      stack: stack(10),
      timestamp,
      attributes: {},
    });
    const { groups } = groupErrors([event(20, '1.0', 'b'), event(10, '1.1', 'a'), event(30, '1.1', 'c')]);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ count: 3, firstSeen: 10, lastSeen: 30, sample: { message: 'c' } });
    expect([...groups[0]!.versions].sort()).toEqual(['1.0', '1.1']);
  });
});
