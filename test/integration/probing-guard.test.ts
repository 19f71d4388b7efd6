import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAKE_CREDENTIALS,
  type FakeCredentialsServer,
  startFakeCredentialsServer,
} from '../support/fake-credentials-server.js';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';

/**
 * Issue #9 items 1 and 7 through local mode's real handlers: what `PUT /v1/targets/{id}` refuses, what the
 * answers show, and what the prober sends.
 */
// biome-ignore lint/suspicious/noExplicitAny: JSON from the API under test
type Json = Record<string, any>;

let vigil: TestVigil;
let creds: FakeCredentialsServer;

beforeAll(async () => {
  [vigil, creds] = await Promise.all([startTestVigil(), startFakeCredentialsServer()]);
});
afterAll(async () => {
  await Promise.all([vigil?.close(), creds?.close()]);
});

async function put(id: string, body: Record<string, unknown>) {
  const res = await vigil.request(`/v1/targets/${id}`, { method: 'PUT', json: body });
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Json };
}

describe('targets: refused at save', () => {
  it.each([
    'http://169.254.169.254/latest/meta-data/iam/security-credentials/r',
    'http://0xa9fea9fe/latest/meta-data/',
    'http://2852039166/',
    'http://[::ffff:169.254.169.254]/',
    'http://[fd00:ec2::254]/latest/meta-data/',
    'http://169.254.170.2/v2/credentials/x',
    'http://0.0.0.0:4499/',
  ])('%s: 400 problem+json naming url', async (url) => {
    const res = await put('meta', { service: 'x', url });
    expect(res.status).toBe(400);
    expect(res.type).toContain('application/problem+json');
    expect(res.body.errors).toEqual([{ path: 'url', message: expect.stringContaining('Vigil never fetches it') }]);
    expect((await vigil.request('/v1/targets/meta')).status).toBe(404);
  });

  it.each(['Host', 'host', 'Content-Length', 'Transfer-Encoding', 'Connection'])(
    'a %s header: 400 naming the header',
    async (name) => {
      const res = await put('hdr', { service: 'x', url: `${creds.url}/`, headers: { [name]: 'v' } });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        { path: `headers.${name}`, message: expect.stringContaining('must not be set') },
      ]);
    },
  );

  it('a secret reference through the API: 400 (references are for the config file)', async () => {
    const res = await put('ref', {
      service: 'x',
      url: `${creds.url}/`,
      headers: { Authorization: { secretRef: '/vigil/token' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('headers.Authorization');
  });
});

describe("issue #9's reproducer: a credentials document is never quoted", () => {
  it('the reason describes the value, stays short, and holds no credential', async () => {
    const saved = await put('x', {
      service: 'x',
      url: `${creds.url}/latest/meta-data/iam/security-credentials/r`,
      expect: { json: { path: '$', equals: 'z' } },
      failureThreshold: 1,
    });
    expect(saved.status).toBe(201);
    await vigil.runSchedule('probe');
    const readToken = await vigil.mintToken(['read']);
    const res = await vigil.request('/v1/targets/x', { token: readToken });
    const text = await res.text();
    const body = JSON.parse(text) as Json;
    expect(body.state.status).toBe('down');
    expect(body.state.reason).toBe('$ was an object with 7 keys, expected "z"');
    expect(body.state.lastResult.code).toBe('json-mismatch');
    const events = await (await vigil.request('/v1/target-events', { token: readToken })).text();
    const history = await (await vigil.request('/v1/targets/x/history', { token: readToken })).text();
    for (const answer of [text, events, history]) {
      expect(answer).not.toContain(FAKE_CREDENTIALS.AccessKeyId);
      expect(answer).not.toContain(FAKE_CREDENTIALS.SecretAccessKey);
    }
  });
});

describe('header values are write-only', () => {
  it('answers show (redacted); the prober sends the value; sending (redacted) back keeps it', async () => {
    const spec = {
      service: 'x',
      url: `${creds.url}/secret-probe`,
      headers: { Authorization: 'Bearer PROBE-SECRET-123', 'x-probe': 'vigil' },
    };
    const created = await put('with-secret', spec);
    expect(created.status).toBe(201);
    expect(created.body.headers).toEqual({ Authorization: '(redacted)', 'x-probe': '(redacted)' });
    const one = await (await vigil.request('/v1/targets/with-secret')).text();
    const list = await (await vigil.request('/v1/targets')).text();
    for (const answer of [JSON.stringify(created.body), one, list]) expect(answer).not.toContain('PROBE-SECRET-123');

    // A read-modify-write of the target, as a UI or a script does it; the probe after it sends the stored value.
    const back = JSON.parse(one) as Json;
    const updated = await put('with-secret', {
      service: back.service,
      url: back.url,
      headers: back.headers,
      timeoutMs: 4000,
    });
    expect(updated.status).toBe(200);
    await vigil.runSchedule('probe');
    const sent = creds.requests.filter((r) => r.path === '/secret-probe').map((r) => r.headers.authorization);
    expect(sent).toEqual(['Bearer PROBE-SECRET-123']);
    const events = await (await vigil.request('/v1/target-events')).text();
    expect(events).not.toContain('PROBE-SECRET-123');
  });

  it('(redacted) for a header the target does not have: 400 naming it', async () => {
    const res = await put('no-such-header', {
      service: 'x',
      url: `${creds.url}/`,
      headers: { 'X-Api-Key': '(redacted)' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'headers.X-Api-Key', message: expect.stringContaining('has none') }]);
  });
});
