import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';
import { startTargetServer, type TargetServer } from '../support/probe-target-server.js';

/** Local mode's timer runs the prober every VIGIL_PROBE_INTERVAL seconds; each target keeps its own interval. */
let vigil: TestVigil;
let svc: TargetServer;

beforeAll(async () => {
  svc = await startTargetServer();
  vigil = await startTestVigil({ VIGIL_PROBE_INTERVAL: '1' });
});
afterAll(async () => {
  await Promise.all([vigil?.close(), svc?.close()]);
});

describe('probe schedule in local mode', () => {
  it('honours per-target intervals shorter than a minute', async () => {
    for (const [id, intervalSeconds] of [
      ['every-1s', 1],
      ['every-3s', 3],
      ['every-60s', 60],
    ] as const) {
      const res = await vigil.request(`/v1/targets/${id}`, {
        method: 'PUT',
        json: { service: 's', url: `${svc.url}/t/${id}`, intervalSeconds },
      });
      expect(res.status).toBe(201);
    }
    // From the first tick that probes them, 4.5 s: the 1 s target is probed on about every tick, the 3 s
    // one on the first and the fourth, the 60 s one once.
    const deadline = Date.now() + 3_000;
    while (svc.hits('every-3s') === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(svc.hits('every-3s')).toBe(1);
    await new Promise((r) => setTimeout(r, 4_500));
    expect(svc.hits('every-1s')).toBeGreaterThanOrEqual(4);
    expect(svc.hits('every-1s')).toBeLessThanOrEqual(6);
    expect(svc.hits('every-3s')).toBe(2);
    expect(svc.hits('every-60s')).toBe(1);
  }, 15_000);
});
