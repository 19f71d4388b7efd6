import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/catalog/routes.js';
import type { Scope } from '../../functions/core/scopes.js';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';

const problem = async (res: Response) => {
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  return (await res.json()) as { status: number; detail: string; errors?: { path: string }[] };
};

describe('local mode foundation', () => {
  let vigil: TestVigil;
  beforeAll(async () => {
    vigil = await startTestVigil({ VIGIL_TOKEN_CACHE_SECONDS: '0', VIGIL_MAX_BODY_BYTES: '4096' });
  });
  afterAll(() => vigil?.close());

  it('answers its own health as application/health+json', async () => {
    const res = await vigil.request('/health', { token: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/health+json');
    const body = (await res.json()) as { status: string; checks: Record<string, { status: string }[]> };
    expect(body.status).toBe('pass');
    expect(body.checks['dynamodb:responseTime']?.[0]?.status).toBe('pass');
  });

  it('mints a scoped token once, lists it without the secret, and revokes it', async () => {
    const created = await vigil.request('/v1/tokens', { method: 'POST', json: { name: 'ci', scopes: ['read'] } });
    expect(created.status).toBe(201);
    const { id, token } = (await created.json()) as { id: string; token: string };
    expect((await vigil.request('/v1/notifications', { token })).status).toBe(200);
    expect((await problem(await vigil.request('/v1/tokens', { token }))).status).toBe(403);

    const list = (await (await vigil.request('/v1/tokens')).json()) as { items: Record<string, unknown>[] };
    const mine = list.items.find((t) => t.id === id)!;
    expect(mine).toMatchObject({ name: 'ci', scopes: ['read'], expired: false });
    expect(JSON.stringify(list)).not.toContain(token);
    expect(JSON.stringify(list)).not.toMatch(/"hash"/);

    expect((await vigil.request(`/v1/tokens/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await problem(await vigil.request('/v1/notifications', { token }))).status).toBe(401);
    expect((await problem(await vigil.request(`/v1/tokens/${id}`, { method: 'DELETE' }))).status).toBe(404);
  });

  it('will not revoke the bootstrap admin token through the API', async () => {
    const { items } = (await (await vigil.request('/v1/tokens')).json()) as {
      items: { id: string; bootstrap?: boolean }[];
    };
    const admin = items.find((t) => t.bootstrap)!;
    expect((await problem(await vigil.request(`/v1/tokens/${admin.id}`, { method: 'DELETE' }))).status).toBe(409);
  });

  it('answers 401 without a token and 403 without the scope on every protected route', async () => {
    const ingestOnly = await vigil.mintToken(['ingest'] satisfies Scope[]);
    const verifyOnly = await vigil.mintToken(['verify']);
    for (const route of ROUTES.filter((r) => r.scope !== null)) {
      const path = route.path.replace(/\{(\w+)\+?\}/g, 'x');
      const init = {
        method: route.method,
        ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { json: {} }),
      };
      const anon = await vigil.request(path, { ...init, token: null });
      expect(anon.status, `${route.method} ${route.path} without token`).toBe(401);
      expect(anon.headers.get('www-authenticate')).toContain('Bearer');
      const wrong = (route.scope as Scope) === 'ingest' ? verifyOnly : ingestOnly;
      const res = await vigil.request(path, { ...init, token: wrong });
      expect(res.status, `${route.method} ${route.path} without scope ${route.scope}`).toBe(403);
      expect((await problem(res)).detail).toContain(`"${route.scope}"`);
    }
  });

  it.each([
    [
      'malformed JSON',
      '/v1/tokens',
      { method: 'POST', body: '{"name":', headers: { 'content-type': 'application/json' } },
      400,
      'not valid JSON',
    ],
    [
      'wrong content type',
      '/v1/tokens',
      { method: 'POST', body: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      415,
      'not accepted',
    ],
    [
      'oversize body',
      '/v1/tokens',
      {
        method: 'POST',
        body: JSON.stringify({ name: 'x'.repeat(5000) }),
        headers: { 'content-type': 'application/json' },
      },
      413,
      'limit is 4096 bytes',
    ],
    ['unknown route', '/v1/nothing-here', { method: 'GET' }, 404, 'no route for GET /v1/nothing-here'],
    ['wrong method', '/v1/tokens', { method: 'PATCH' }, 405, 'allowed: GET, POST'],
    ['bad token', '/v1/tokens', { method: 'GET', token: 'vgl_not-a-real-token' }, 401, 'unknown, revoked or expired'],
    [
      'invalid fields',
      '/v1/tokens',
      { method: 'POST', json: { name: '', scopes: ['root'], expiresInDays: 0 } },
      400,
      'name',
    ],
    ['bad query', '/v1/notifications', { method: 'GET', path: '?limit=0' }, 400, 'query.limit'],
  ])('answers %s with problem+json', async (_name, path, init, status, detail) => {
    const { path: suffix = '', ...rest } = init as { path?: string } & RequestInit & { token?: string; json?: unknown };
    const res = await vigil.request(path + suffix, rest);
    expect(res.status).toBe(status);
    const body = await problem(res);
    expect(body.status).toBe(status);
    expect(JSON.stringify(body)).toContain(detail);
  });

  it('accepts gzip-compressed bodies', async () => {
    const res = await vigil.request('/v1/tokens', {
      method: 'POST',
      body: gzipSync(JSON.stringify({ name: 'zipped', scopes: ['read'] })),
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { name: string }).name).toBe('zipped');
  });

  it('names every invalid field of a token request by its path', async () => {
    const res = await vigil.request('/v1/tokens', { method: 'POST', json: { name: 7, scopes: ['read', 'root'] } });
    const body = await problem(res);
    expect(body.errors?.map((e) => e.path)).toEqual(['name', 'scopes[1]']);
  });

  it('serves the dashboard without a token', async () => {
    const res = await vigil.request('/', { token: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('<title>Vigil</title>');
    // The page is revalidated; the hashed files it names are cached for ever.
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const csp = res.headers.get('content-security-policy') ?? '';
    for (const directive of [
      "script-src 'self'",
      "style-src 'self'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=/);
    const files = [...html.matchAll(/(?:src|href)="\/ui\/([^"]+)"/g)].map((m) => m[1]!);
    expect(files.map((f) => f.replace(/-[A-Z0-9]{8}\./, '-HASH.')).sort()).toEqual(['main-HASH.css', 'main-HASH.js']);
    for (const file of files) {
      const asset = await vigil.request(`/ui/${file}`, { token: null });
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
      expect(asset.headers.get('content-type')).toMatch(file.endsWith('.js') ? /^text\/javascript/ : /^text\/css/);
    }
    expect((await vigil.request('/ui/missing.js', { token: null })).status).toBe(404);
    expect((await vigil.request('/ui/__proto__', { token: null })).status).toBe(404);
  });
});

describe('local notifier', () => {
  it('posts SNS-shaped messages to webhooks (GET /v1/notifications lists the alert outbox: alerting tests)', async () => {
    const received: { headers: IncomingMessage['headers']; body: string }[] = [];
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.end('ok');
      });
    }).listen(0, '127.0.0.1');
    await once(hook, 'listening');
    const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    const vigil = await startTestVigil({ VIGIL_WEBHOOKS: `${url},http://127.0.0.1:1/refused` });
    try {
      // The notifier is built from a function's environment, with the settings a notifying function reads.
      const { runtime } = await import('../../functions/platform/runtime.js');
      const { loggedNotifier } = await import('../../functions/platform/notifier.js');
      const printed: string[] = [];
      const env = {
        ...vigil.environmentOf('notifications'),
        VIGIL_NOTIFIER: 'local',
        VIGIL_WEBHOOKS: `${url},http://127.0.0.1:1/refused`,
      };
      const n = loggedNotifier(runtime('notifications', env), (l) => printed.push(l));
      const delivery = await n.publish({
        id: 'n1',
        topic: 'critical',
        subject: 'checkout is down',
        message: { service: 'checkout', status: 'down' },
        attributes: { severity: 'critical' },
        at: Date.now(),
      });
      expect(delivery.ok).toBe(false);
      expect(delivery.detail).toContain('127.0.0.1:1/refused');
      expect(printed).toEqual(['[notify:critical] checkout is down']);
      expect(received).toHaveLength(1);
      expect(received[0]!.headers['x-amz-sns-message-type']).toBe('Notification');
      const envelope = JSON.parse(received[0]!.body);
      expect(envelope).toMatchObject({ Type: 'Notification', Subject: 'checkout is down', MessageId: 'n1' });
      expect(JSON.parse(envelope.Message)).toMatchObject({ service: 'checkout', status: 'down', topic: 'critical' });
    } finally {
      await vigil.close();
      hook.close();
    }
  });
});

describe('persistence', () => {
  it('keeps data across a restart on disk, and the generated admin token too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-disk-'));
    const env = { VIGIL_DATA_DIR: dir, VIGIL_ADMIN_TOKEN: '' };
    const first = await startTestVigil(env, { disk: dir });
    const admin = first.adminToken;
    expect(admin).toMatch(/^vgl_/);
    const token = await first.mintToken(['read'], 'kept');
    await first.close();
    const second = await startTestVigil(env, { disk: dir });
    try {
      expect(second.adminToken).toBe(admin);
      expect((await second.request('/v1/notifications', { token })).status).toBe(200);
    } finally {
      await second.close();
    }
  });
});
