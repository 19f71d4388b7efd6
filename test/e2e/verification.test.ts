import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Deployment verification end to end: `npm start` as a real process, a small local service (its health
 * endpoint and a rollback webhook receiver) in this test, telemetry sent through the ingestion API. Every
 * wait is on a condition (the verification's status), never on time.
 */
const ADMIN = 'e2e-verify-admin-token-0123456789abcdef';
const SECRET = 'e2e-webhook-secret-0123456789abcdef';
let proc: ChildProcess;
let url = '';
let output = '';
let svc: Server;
let svcUrl = '';
const hooks: { path: string; body: string; signature: string | undefined; delivery: string | undefined }[] = [];

// biome-ignore lint/suspicious/noExplicitAny: JSON from the API under test
type Json = Record<string, any>;

async function startVigil(env: Record<string, string>): Promise<void> {
  const child = spawn('npm', ['start', '--', '--memory'], {
    env: { ...process.env, VIGIL_PORT: '0', VIGIL_ADMIN_TOKEN: ADMIN, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  proc = child;
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed:\n${output}`)), 90_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const m = output.match(/Dashboard:\s+(http:\/\/\S+?)\/\s/);
      if (m?.[1] && /Admin token: .+\n/.test(output)) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr!.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
}

const api = async (path: string, init: { method?: string; json?: unknown; token?: string } = {}) => {
  const res = await fetch(`${url}${path}`, {
    method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
    headers: { authorization: `Bearer ${init.token ?? ADMIN}`, 'content-type': 'application/json' },
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json, type: res.headers.get('content-type') };
};

/** `n` latencies spread evenly over ±20% of `median` (deterministic, so a test cannot flake on a draw). */
const latencies = (n: number, median: number) =>
  Array.from({ length: n }, (_, i) => Math.round(median * (0.8 + (0.4 * i) / Math.max(1, n - 1)) * 10) / 10);

async function send(service: string, version: string, values: number[], errors = 0) {
  const metrics: Json[] = [];
  for (let i = 0; i < values.length; i += 1_000) {
    metrics.push({ name: 'http.server.duration', type: 'histogram', unit: 'ms', values: values.slice(i, i + 1_000) });
  }
  if (errors > 0) metrics.push({ name: 'errors', type: 'counter', value: errors });
  const res = await api('/v1/ingest', { json: { service, environment: 'staging', version, metrics } });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
}

/** Polls until the verification has a verdict (a condition, with a generous bound so a hang fails the test). */
async function verdictOf(id: string, boundMs = 60_000): Promise<Json> {
  const until = Date.now() + boundMs;
  for (;;) {
    const { status, body } = await api(`/v1/verifications/${id}`);
    expect(status).toBe(200);
    if (body.status === 'done') return body;
    if (Date.now() > until) throw new Error(`no verdict: ${JSON.stringify(body)}\n${output.slice(-2_000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function start(body: Json): Promise<string> {
  const res = await api('/v1/verifications', { json: body });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  expect(res.body).toEqual({
    id: expect.any(String),
    status: 'running',
    statusUrl: `/v1/verifications/${res.body.id}`,
  });
  return res.body.id as string;
}

const canary = (extra: Json = {}) => ({
  baselineVersion: '1.0.0',
  metrics: [{ name: 'http.server.duration', allowedIncreasePct: 10 }, ...(extra.metrics ?? [])],
  intervalSeconds: 2,
  durationSeconds: 4,
  maxDurationSeconds: 8,
  ...extra,
  ...(extra.metrics ? { metrics: [{ name: 'http.server.duration', allowedIncreasePct: 10 }, ...extra.metrics] } : {}),
});

beforeAll(async () => {
  svc = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      if (req.url === '/health') {
        res.writeHead(200, { 'content-type': 'application/health+json' }).end('{"status":"pass"}');
        return;
      }
      if (req.url?.startsWith('/hook')) {
        hooks.push({
          path: req.url,
          body,
          signature: req.headers['x-vigil-signature'] as string | undefined,
          delivery: req.headers['x-vigil-delivery'] as string | undefined,
        });
        res.writeHead(204).end();
        return;
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => svc.listen(0, '127.0.0.1', () => r()));
  svcUrl = `http://127.0.0.1:${(svc.address() as AddressInfo).port}`;
  await startVigil({
    VIGIL_DATA_DIR: mkdtempSync(join(tmpdir(), 'vigil-e2e-verify-')),
    VIGIL_CONFIG: join(tmpdir(), 'vigil-e2e-no-config.json'),
    VIGIL_PROBE_INTERVAL: '3600',
    VIGIL_EVAL_INTERVAL: '3600',
    VIGIL_VERIFY_MIN_INTERVAL_SECONDS: '1',
    VIGIL_ROLLUP_STEP_SECONDS: '10',
    VIGIL_VERIFY_WEBHOOK_SECRET: SECRET,
  });
});

afterAll(async () => {
  if (proc?.exitCode === null && proc.pid) process.kill(-proc.pid, 'SIGKILL');
  await new Promise<void>((r) => (svc ? svc.close(() => r()) : r()));
});

describe('deployment verification in local mode', () => {
  it('refuses a bad request naming the field, in problem+json', async () => {
    const res = await api('/v1/verifications', {
      json: {
        service: 'shop',
        version: '2',
        checks: { canary: { baselineVersion: '1', metrics: [{ name: 'x' }], maxDurationSeconds: 7200 } },
      },
    });
    expect(res.status).toBe(400);
    expect(res.type).toBe('application/problem+json');
    expect(res.body.errors).toContainEqual({
      path: 'checks.canary.maxDurationSeconds',
      message: 'must be at most 3600',
    });
  });

  it('a healthy new version passes: health, metrics and the canary', async () => {
    const id = await start({
      service: 'shop-healthy',
      environment: 'staging',
      version: '1.1.0',
      deployUrl: svcUrl,
      checks: {
        health: { path: '/health', consecutivePasses: 2, intervalSeconds: 1, timeoutSeconds: 20 },
        metrics: { required: ['http.server.duration'], withinSeconds: 20 },
        canary: canary(),
      },
    });
    await send('shop-healthy', '1.0.0', latencies(200, 120));
    await send('shop-healthy', '1.1.0', latencies(200, 120));
    const v = await verdictOf(id);
    expect(v.verdict, JSON.stringify(v.reasons)).toBe('pass');
    expect(v.rollback).toBe(false);
    expect(v.score).toBe(100);
    expect(v.checks.health.status).toBe('pass');
    expect(v.checks.metrics.status).toBe('pass');
    expect(v.checks.canary.evidence.metrics[0].evidence).toMatchObject({
      test: expect.stringMatching(/Mann-Whitney/i),
    });
    // The verdict went to the deployments topic (the local notifier's log), with its attributes.
    const sent = await api('/v1/notifications?topic=deployments');
    expect(sent.body.items.find((n: Json) => n.id === `verification-${id}`)).toMatchObject({
      attributes: { service: 'shop-healthy', environment: 'staging', verdict: 'pass' },
    });
  });

  it('a slower new version fails on latency, with the interval in the reasons, and the webhook gets it signed', async () => {
    const id = await start({
      service: 'shop-slow',
      environment: 'staging',
      version: '1.1.0',
      checks: { canary: canary() },
      rollback: { webhook: `${svcUrl}/hook/slow` },
    });
    await send('shop-slow', '1.0.0', latencies(300, 120));
    await send('shop-slow', '1.1.0', latencies(300, 180));
    const v = await verdictOf(id);
    expect(v.verdict).toBe('fail');
    expect(v.rollback).toBe(true);
    const text = v.reasons.map((r: Json) => r.message).join('\n');
    expect(text).toMatch(/http\.server\.duration: median rose from .* 95% CI \+\d+%…\+\d+%\), beyond the allowed 10%/);
    const hook = await until(() => hooks.find((h) => h.path === '/hook/slow'));
    expect(hook.signature).toBe(`sha256=${createHmac('sha256', SECRET).update(hook.body).digest('hex')}`);
    expect(hook.delivery).toBe(id);
    expect(JSON.parse(hook.body)).toMatchObject({ id, verdict: 'fail', rollback: true, service: 'shop-slow' });
    const after = await until(async () => {
      const { body } = await api(`/v1/verifications/${id}`);
      return body.deliveries.webhook?.state === 'sent' ? body : undefined;
    });
    expect(after.deliveries.webhook).toMatchObject({ state: 'sent', attempts: 1 });
  });

  it('a handful of 5xx against a zero-error baseline fails on errors', async () => {
    const id = await start({
      service: 'shop-errors',
      environment: 'staging',
      version: '1.1.0',
      checks: { canary: canary({ metrics: [{ name: 'errors', kind: 'count', critical: true }] }) },
      rollback: { webhook: `${svcUrl}/hook/errors` },
    });
    await send('shop-errors', '1.0.0', latencies(10_000, 120), 0);
    await send('shop-errors', '1.1.0', latencies(1_000, 120), 5);
    const v = await verdictOf(id);
    expect(v.verdict).toBe('fail');
    expect(v.score).toBe(0);
    const errors = v.checks.canary.evidence.metrics.find((m: Json) => m.name === 'errors');
    expect(errors.outcome).toBe('fail');
    expect(v.reasons.map((r: Json) => r.code)).toContain('canary-critical-failure');
    const hook = await until(() => hooks.find((h) => h.path === '/hook/errors'));
    expect(hook.signature).toBe(`sha256=${createHmac('sha256', SECRET).update(hook.body).digest('hex')}`);
  });

  it('a version starved of traffic is inconclusive after extending, with what it had and needed', async () => {
    const id = await start({
      service: 'shop-starved',
      environment: 'staging',
      version: '1.1.0',
      checks: { canary: canary() },
    });
    await send('shop-starved', '1.0.0', latencies(200, 120));
    await send('shop-starved', '1.1.0', latencies(3, 120));
    const v = await verdictOf(id);
    expect(v.verdict).toBe('inconclusive');
    const codes = v.checks.canary.reasons.map((r: Json) => r.code);
    expect(codes).toContain('canary-insufficient-data');
    expect(v.checks.canary.evidence.extended).toBe(true);
    expect(v.checks.canary.evidence.look).toBeGreaterThan(v.checks.canary.evidence.planned);
    expect(JSON.stringify(v.reasons)).toContain('http.server.duration had 3 samples per side, needs 20');
  });

  it('abort ends a running verification fail at once, with the rollback decision', async () => {
    const id = await start({
      service: 'shop-abort',
      environment: 'staging',
      version: '1.1.0',
      checks: { canary: canary({ durationSeconds: 600, maxDurationSeconds: 600, intervalSeconds: 60 }) },
    });
    const res = await api(`/v1/verifications/${id}/abort`, {
      json: { by: 'release-bot', reason: 'error spike in the dashboard' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'done', verdict: 'fail', rollback: true, abort: { by: 'release-bot' } });
    expect(res.body.reasons[0]).toEqual({
      code: 'aborted',
      message: 'aborted by release-bot: error spike in the dashboard',
    });
    const again = await api(`/v1/verifications/${id}/abort`, { json: { by: 'x', reason: 'y' } });
    expect(again.status).toBe(409);
    const list = await api('/v1/verifications?service=shop-abort');
    expect(list.body.items.map((i: Json) => i.id)).toEqual([id]);
  });
});

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, boundMs = 30_000): Promise<T> {
  const end = Date.now() + boundMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error(`condition not met\n${output.slice(-2_000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
