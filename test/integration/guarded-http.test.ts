import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuardedHttpClient, type Resolver, UrlRefusedError } from '../../functions/adapters/guarded-http.js';
import { HttpProber } from '../../functions/adapters/http-prober.js';

/**
 * The guard against real sockets (issue #9 item 1, #15 item 6): local servers on 127.0.0.1, a resolver
 * stub standing in for DNS. Every refusal is asserted together with the server never being reached.
 */
let server: Server;
let base: string;
const seen: { path: string; headers: IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers });
    const redirect = /^\/redirect\?to=(.*)$/.exec(req.url ?? '');
    if (redirect) {
      res.writeHead(302, { location: decodeURIComponent(redirect[1] ?? '') }).end();
      return;
    }
    if (req.url?.startsWith('/chain/')) {
      const n = Number(req.url.slice(7));
      res.writeHead(302, { location: `/chain/${n + 1}` }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"pass"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const hits = (path: string) => seen.filter((s) => s.path === path).length;
const port = () => (server.address() as AddressInfo).port;
const stub =
  (table: Record<string, string[]>): Resolver =>
  async (hostname) => {
    const found = table[hostname];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
const probe = (prober: HttpProber, url: string, headers: Record<string, string> = {}) =>
  prober.probe({ url, method: 'GET', headers, timeoutMs: 3_000, insecure: false });

describe('guarded HTTP client', () => {
  it('refuses a redirect from an allowed server to the metadata address, without connecting', async () => {
    const prober = new HttpProber({ policy: { allowPrivate: true } });
    const to = encodeURIComponent('http://169.254.169.254/latest/meta-data/iam/security-credentials/');
    const out = await probe(prober, `${base}/redirect?to=${to}`);
    expect(out).toMatchObject({ kind: 'error', code: 'url-refused' });
    expect(out.kind === 'error' && out.reason).toBe(
      '169.254.169.254 is the cloud instance metadata service; Vigil never fetches it (redirected to 169.254.169.254)',
    );
  });

  it('refuses a redirect to a hostname that resolves to a metadata address (checked at connect)', async () => {
    const client = new GuardedHttpClient({
      policy: { allowPrivate: true },
      resolve: stub({ 'imds.example.test': ['169.254.169.254'] }),
    });
    const to = encodeURIComponent(`http://imds.example.test:${port()}/landed`);
    await expect(client.request({ url: `${base}/redirect?to=${to}`, method: 'GET' })).rejects.toThrow(
      'imds.example.test resolves to 169.254.169.254 is the cloud instance metadata service',
    );
    expect(hits('/landed')).toBe(0);
  });

  it('with the opt-in off, 127.0.0.1 is refused, literal or resolved', async () => {
    const before = seen.length;
    const prober = new HttpProber({ policy: { allowPrivate: false }, resolve: stub({ 'svc.test': ['127.0.0.1'] }) });
    const literal = await probe(prober, `${base}/health`);
    expect(literal).toMatchObject({ kind: 'error', code: 'url-refused' });
    expect(literal.kind === 'error' && literal.reason).toContain('127.0.0.1 is a loopback address');
    const named = await probe(prober, `http://svc.test:${port()}/health`);
    expect(named).toMatchObject({ kind: 'error', code: 'url-refused' });
    expect(named.kind === 'error' && named.reason).toContain('svc.test resolves to 127.0.0.1');
    expect(seen.length).toBe(before);
  });

  it('with the opt-in on, the same name reaches the server through the guarded lookup', async () => {
    const prober = new HttpProber({ policy: { allowPrivate: true }, resolve: stub({ 'svc.test': ['127.0.0.1'] }) });
    const out = await probe(prober, `http://svc.test:${port()}/named-ok`);
    expect(out).toMatchObject({ kind: 'response', status: 200 });
    expect(hits('/named-ok')).toBe(1);
  });

  it('refuses a name when any of its addresses is refused (no first-address roulette)', async () => {
    const client = new GuardedHttpClient({
      policy: { allowPrivate: true },
      resolve: stub({ 'mixed.test': ['127.0.0.1', 'fd00:ec2::254'] }),
    });
    const error = await client.request({ url: `http://mixed.test:${port()}/mixed`, method: 'GET' }).catch((e) => e);
    expect(error).toBeInstanceOf(UrlRefusedError);
    expect((error as UrlRefusedError).reason.message).toContain('fd00:ec2::254 is the EC2 instance metadata service');
    expect(hits('/mixed')).toBe(0);
  });

  it('stops after the redirect limit', async () => {
    const client = new GuardedHttpClient({ policy: { allowPrivate: true }, maxRedirects: 3 });
    await expect(client.request({ url: `${base}/chain/0`, method: 'GET' })).rejects.toThrow('more than 3 redirects');
    expect(hits('/chain/3')).toBe(1);
    expect(hits('/chain/4')).toBe(0);
  });

  it('never sends a Host or framing header a caller passes, and drops Authorization on a cross-origin redirect', async () => {
    const client = new GuardedHttpClient({ policy: { allowPrivate: true } });
    const { response } = await client.request({
      url: `${base}/h1`,
      method: 'GET',
      headers: { Host: 'metadata.internal', 'Transfer-Encoding': 'chunked', 'x-keep': 'yes' },
    });
    response.resume();
    const first = seen.find((s) => s.path === '/h1');
    expect(first?.headers.host).toBe(`127.0.0.1:${port()}`);
    expect(first?.headers['transfer-encoding']).toBeUndefined();
    expect(first?.headers['x-keep']).toBe('yes');

    const other = `http://localhost:${port()}/h2`;
    const redirected = await client.request({
      url: `${base}/redirect?to=${encodeURIComponent(other)}`,
      method: 'GET',
      headers: { authorization: 'Bearer PROBE-SECRET', 'x-keep': 'yes' },
    });
    redirected.response.resume();
    const second = seen.find((s) => s.path === '/h2');
    expect(second?.headers.authorization).toBeUndefined();
    expect(second?.headers['x-keep']).toBe('yes');
  });
});
