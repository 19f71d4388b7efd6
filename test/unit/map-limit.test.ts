import { describe, expect, it } from 'vitest';
import { mapLimit } from '../../functions/core/map-limit.js';

describe('mapLimit (the one concurrency limiter)', () => {
  it('keeps at most `concurrency` calls in flight and returns results in order', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapLimit([5, 1, 4, 2, 3, 0], 2, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await Promise.resolve();
      await Promise.resolve();
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0]);
    expect(most).toBe(2);
  });

  it('starts nothing after a failure and lets the started calls settle before throwing', async () => {
    const started: number[] = [];
    let settled = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const run = mapLimit([1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      if (n === 1) throw new Error('one failed');
      await gate;
      settled++;
      return n;
    });
    await Promise.resolve();
    release();
    await expect(run).rejects.toThrow('one failed');
    expect(started).toEqual([1, 2]);
    expect(settled).toBe(1);
  });
});
