import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';

/**
 * Verifications in flight are bounded per service (VIGIL_VERIFY_MAX_RUNNING): past the limit a new one is a 409
 * problem+json naming the limit, and aborting one makes room. The clock is pinned, so the verifications
 * (waiting for metrics that never come) stay running for the whole test.
 */
let vigil: TestVigil;
let token: string;
const now = Date.UTC(2026, 11, 2, 12, 0, 0);

beforeAll(async () => {
  vigil = await startTestVigil(
    { VIGIL_VERIFY_MAX_RUNNING: '2', VIGIL_VERIFY_MIN_INTERVAL_SECONDS: '1' },
    { clock: () => now },
  );
  token = await vigil.mintToken(['verify'], 'ci');
});
afterAll(async () => {
  await vigil?.close();
});

const start = (service: string) =>
  vigil.request('/v1/verifications', {
    method: 'POST',
    token,
    json: {
      service,
      environment: 'staging',
      version: '1.4.2',
      checks: { metrics: { required: ['http.server.requests'], withinSeconds: 300 } },
    },
  });

describe('verifications in flight', () => {
  it('refuses a third running verification of one service with 409, and takes it after an abort', async () => {
    const first = await start('checkout');
    const second = await start('checkout');
    expect([first.status, second.status]).toEqual([202, 202]);

    const third = await start('checkout');
    expect(third.status).toBe(409);
    expect(third.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await third.json()) as { detail: string };
    expect(problem.detail).toContain('VIGIL_VERIFY_MAX_RUNNING is 2');

    // Another service has its own allowance.
    expect((await start('payments')).status).toBe(202);

    const { id } = (await first.json()) as { id: string };
    const abort = await vigil.request(`/v1/verifications/${id}/abort`, {
      method: 'POST',
      token,
      json: { by: 'ana', reason: 'making room' },
    });
    expect(abort.status).toBe(200);
    expect((await start('checkout')).status).toBe(202);
  });
});
