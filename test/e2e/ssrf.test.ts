import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAKE_CREDENTIALS,
  type FakeCredentialsServer,
  startFakeCredentialsServer,
} from '../support/fake-credentials-server.js';

/**
 * Issue #9 item 1's reproducer against `npm start` as a real process: a `write` token saves a target on a
 * fake credentials server, a `read` token reads it back. Local mode allows loopback targets (the opt-in is
 * on there), so the defence under test is the bounded reason; metadata addresses stay refused.
 */
const ADMIN = 'e2e-ssrf-admin-token-0123456789abcdef';
let proc: ChildProcess;
let url: string;
let output = '';
let creds: FakeCredentialsServer;
let redirector: Server;
let redirectUrl: string;

async function startVigil(env: Record<string, string>): Promise<{ proc: ChildProcess; url: string }> {
  const child = spawn('npm', ['start', '--', '--memory'], {
    env: { ...process.env, VIGIL_PORT: '0', VIGIL_ADMIN_TOKEN: ADMIN, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const found = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed:\n${output}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const m = output.match(/Dashboard:\s+(http:\/\/\S+?)\/\s/);
      if (m?.[1] && /Admin token: .+\n/.test(output)) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
  return { proc: child, url: found };
}

const api = (path: string, init: RequestInit & { token?: string } = {}) =>
  fetch(`${url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${init.token ?? ADMIN}`, 'content-type': 'application/json', ...init.headers },
  });

async function mint(scopes: string[]): Promise<string> {
  const res = await api('/v1/tokens', { method: 'POST', body: JSON.stringify({ name: 'e2e', scopes }) });
  return ((await res.json()) as { token: string }).token;
}

/** The target once the prober has checked it (the probe interval is 1 s; bounded by the test timeout). */
// biome-ignore lint/suspicious/noExplicitAny: JSON from the API under test
async function probed(id: string, token: string): Promise<{ text: string; body: Record<string, any> }> {
  for (;;) {
    const text = await (await api(`/v1/targets/${id}`, { token })).text();
    const body = JSON.parse(text);
    if (body.state?.lastCheckedAt) return { text, body };
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('npm start: fetched URLs (issue #9 item 1)', () => {
  beforeAll(async () => {
    creds = await startFakeCredentialsServer();
    redirector = createServer((_req, res) =>
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/r' }).end(),
    );
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', () => r()));
    redirectUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/health`;
    ({ proc, url } = await startVigil({
      VIGIL_DATA_DIR: mkdtempSync(join(tmpdir(), 'vigil-e2e-ssrf-')),
      VIGIL_PROBE_INTERVAL: '1',
      VIGIL_CONFIG: join(tmpdir(), 'vigil-e2e-no-config.json'),
    }));
  });
  afterAll(async () => {
    if (proc?.exitCode === null && proc.pid) process.kill(-proc.pid, 'SIGKILL');
    await Promise.all([creds?.close(), new Promise<void>((r) => (redirector ? redirector.close(() => r()) : r()))]);
  });

  it('the reproducer: the reason stays short and never holds the credentials document', async () => {
    const [write, read] = await Promise.all([mint(['write']), mint(['read'])]);
    const put = await api('/v1/targets/x', {
      method: 'PUT',
      token: write,
      body: JSON.stringify({
        service: 'x',
        url: `${creds.url}/latest/meta-data/iam/security-credentials/r`,
        headers: { Authorization: 'Bearer PROBE-SECRET-123' },
        expect: { json: { path: '$', equals: 'z' } },
      }),
    });
    expect(put.status).toBe(201);
    const { text, body } = await probed('x', read);
    expect(body.state.lastResult.reason).toBe('$ was an object with 7 keys, expected "z"');
    expect(body.state.lastResult.reason.length).toBeLessThanOrEqual(200);
    expect(body.headers).toEqual({ Authorization: '(redacted)' });
    const events = await (await api('/v1/target-events', { token: read })).text();
    const list = await (await api('/v1/targets', { token: read })).text();
    for (const answer of [text, events, list]) {
      expect(answer).not.toContain(FAKE_CREDENTIALS.AccessKeyId);
      expect(answer).not.toContain(FAKE_CREDENTIALS.SecretAccessKey);
      expect(answer).not.toContain('PROBE-SECRET-123');
    }
    expect(creds.requests.at(-1)?.headers.authorization).toBe('Bearer PROBE-SECRET-123');
  });

  it('metadata addresses are refused at save, in every spelling, with the opt-in on', async () => {
    for (const target of [
      'http://169.254.169.254/',
      'http://0xa9fea9fe/',
      'http://[::ffff:169.254.169.254]/',
      'http://[fd00:ec2::254]/',
    ]) {
      const res = await api('/v1/targets/meta', { method: 'PUT', body: JSON.stringify({ service: 'x', url: target }) });
      expect(res.status, target).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(((await res.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe('url');
    }
  });

  it('a redirect to the metadata address is a down result with url-refused', async () => {
    const res = await api('/v1/targets/redir', {
      method: 'PUT',
      body: JSON.stringify({ service: 'x', url: redirectUrl, failureThreshold: 1 }),
    });
    expect(res.status).toBe(201);
    const { body } = await probed('redir', ADMIN);
    expect(body.state.status).toBe('down');
    expect(body.state.lastResult.code).toBe('url-refused');
    expect(body.state.reason).toContain('169.254.169.254 is the cloud instance metadata service');
  });
});
