import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeCredentialsServer, startFakeCredentialsServer } from '../support/fake-credentials-server.js';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';

/** A deployment without the opt-in (the AWS default): private and loopback targets are refused. */
let vigil: TestVigil;
let svc: FakeCredentialsServer;

beforeAll(async () => {
  [vigil, svc] = await Promise.all([
    startTestVigil({ VIGIL_ALLOW_PRIVATE_TARGETS: 'false' }),
    startFakeCredentialsServer(),
  ]);
});
afterAll(async () => {
  await Promise.all([vigil?.close(), svc?.close()]);
});

describe('allowPrivateTargets off', () => {
  it.each(['http://127.0.0.1:4499/', 'http://0x7f000001/', 'http://2130706433/', 'http://[::1]/', 'http://10.0.0.8/'])(
    '%s: 400 naming url and the setting',
    async (url) => {
      const res = await vigil.request('/v1/targets/p', { method: 'PUT', json: { service: 'x', url } });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { errors: { path: string; message: string }[] };
      expect(body.errors).toEqual([{ path: 'url', message: expect.stringContaining('allowPrivateTargets') }]);
    },
  );

  it('a hostname that resolves to loopback is saved, and its probe is down with url-refused', async () => {
    const url = svc.url.replace('127.0.0.1', 'localhost');
    const res = await vigil.request('/v1/targets/named', {
      method: 'PUT',
      json: { service: 'x', url: `${url}/health`, failureThreshold: 1 },
    });
    expect(res.status).toBe(201);
    await vigil.runSchedule('probe');
    const target = (await (await vigil.request('/v1/targets/named')).json()) as {
      state: { status: string; reason: string; lastResult: { code: string } };
    };
    expect(target.state.status).toBe('down');
    expect(target.state.lastResult.code).toBe('url-refused');
    expect(target.state.reason).toMatch(/^localhost resolves to (127\.0\.0\.1|::1) is a loopback address/);
    expect(svc.requests).toHaveLength(0);
  });
});
