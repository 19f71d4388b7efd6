import { ConditionalCheckFailedException, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { storageFaultOf, withStorageRetries } from '../../../functions/adapters/dynamodb-batch-write.js';
import { ServiceUnavailableError } from '../../../functions/core/errors.js';

const throttled = () => new ProvisionedThroughputExceededException({ $metadata: {}, message: 'slow down' });

function failing(times: number, error: () => Error) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    call: async () => {
      calls++;
      if (calls <= times) throw error();
      return 'stored';
    },
  };
}

describe('withStorageRetries (the one place telemetry writes are retried)', () => {
  it('retries throttling with exponential backoff and succeeds', async () => {
    const slept: number[] = [];
    const op = failing(3, throttled);
    const out = await withStorageRetries(op.call, { sleep: async (ms) => void slept.push(ms), random: () => 1 });
    expect(out).toBe('stored');
    expect(op.calls).toBe(4);
    expect(slept).toEqual([25, 50, 100]);
  });

  it('caps the delay and gives up after the attempts with a retryable 503 naming the fault', async () => {
    const slept: number[] = [];
    const op = failing(100, throttled);
    const error = await withStorageRetries(op.call, {
      attempts: 8,
      sleep: async (ms) => void slept.push(ms),
      random: () => 1,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as ServiceUnavailableError).status).toBe(503);
    expect((error as ServiceUnavailableError).retryable).toBe(true);
    expect((error as ServiceUnavailableError).message).toMatch(/^storage is throttling writes \(8 attempts\)/);
    expect(op.calls).toBe(8);
    expect(slept).toEqual([25, 50, 100, 200, 400, 800, 1_000]);
  });

  it('never starts a call past the deadline, and does not sleep beyond it', async () => {
    let now = 0;
    const op = failing(100, throttled);
    const error = await withStorageRetries(op.call, {
      remainingMs: () => 120 - now,
      sleep: async (ms) => {
        now += ms;
      },
      random: () => 1,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    // 25 + 50 = 75 ms slept; the next delay (100) would end past the deadline (45 ms left).
    expect(op.calls).toBe(3);
    expect(now).toBe(75);
    const late = failing(0, throttled);
    await expect(withStorageRetries(late.call, { remainingMs: () => 0 })).rejects.toThrow(/deadline passed/);
    expect(late.calls).toBe(0);
  });

  it('throws other errors at once', async () => {
    const op = failing(1, () => new ConditionalCheckFailedException({ $metadata: {}, message: 'no' }));
    await expect(withStorageRetries(op.call, { sleep: async () => undefined })).rejects.toBeInstanceOf(
      ConditionalCheckFailedException,
    );
    expect(op.calls).toBe(1);
  });

  it.each([
    [{ name: 'ThrottlingException' }, 'throttled'],
    [{ name: 'InternalServerError' }, 'unavailable'],
    [{ name: 'Whatever', $metadata: { httpStatusCode: 503 } }, 'unavailable'],
    [{ name: 'Error', code: 'ECONNRESET' }, 'unavailable'],
    [{ name: 'TimeoutError' }, 'timeout'],
    [{ name: 'ValidationException', $metadata: { httpStatusCode: 400 } }, undefined],
  ])('classifies %o as %s', (error, fault) => {
    expect(storageFaultOf(error)).toBe(fault);
  });
});
