import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signIn } from './browser.js';

/** `npm start` as a real process, real HTTP, and Debian's Chromium driven by playwright-core. */
const ADMIN = 'e2e-admin-token-0123456789abcdef0';
let proc: ChildProcess;
let url: string;
let output = '';

async function startVigil(env: Record<string, string>): Promise<{ proc: ChildProcess; url: string }> {
  const child = spawn('npm', ['start', '--', '--memory'], {
    env: { ...process.env, VIGIL_PORT: '0', VIGIL_ADMIN_TOKEN: ADMIN, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const found = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = output.match(/Dashboard:\s+(http:\/\/\S+?)\/\s/);
      if (m?.[1] && /Admin token: .+\n/.test(output)) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
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

describe('npm start', () => {
  beforeAll(async () => {
    ({ proc, url } = await startVigil({
      VIGIL_DATA_DIR: mkdtempSync(join(tmpdir(), 'vigil-e2e-')),
      VIGIL_PROBE_INTERVAL: '1',
      VIGIL_CONFIG: join(tmpdir(), 'vigil-e2e-no-config.json'),
    }));
  });
  afterAll(() => {
    if (proc.exitCode === null && proc.pid) process.kill(-proc.pid, 'SIGKILL');
  });

  it('prints the dashboard URL and the admin token', () => {
    expect(output).toContain(`Admin token: ${ADMIN}`);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers health, mints a scoped token that works, and refuses it outside its scope', async () => {
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe('pass');
    const minted = await api('/v1/tokens', { method: 'POST', body: JSON.stringify({ name: 'e2e', scopes: ['read'] }) });
    expect(minted.status).toBe(201);
    const { token } = (await minted.json()) as { token: string };
    expect((await api('/v1/notifications', { token })).status).toBe(200);
    const denied = await api('/v1/tokens', { token });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('content-type')).toBe('application/problem+json');
  });

  it('shows services and health checks in the dashboard (Chromium)', async () => {
    // Data to show: telemetry from a service, and a health check on Vigil's own /health (probed every second).
    const ingest = await api('/v1/ingest', {
      method: 'POST',
      body: JSON.stringify({
        service: 'checkout',
        environment: 'production',
        metrics: [
          { name: 'http.server.requests', type: 'counter', value: 5, tags: { route: '/cart', status_class: '2xx' } },
        ],
      }),
    });
    expect(ingest.status).toBe(202);
    const put = await api('/v1/targets/vigil-self', {
      method: 'PUT',
      body: JSON.stringify({ service: 'vigil', url: `${url}/health`, intervalSeconds: 1 }),
    });
    expect(put.status).toBe(201);

    let browser: Browser | undefined;
    try {
      browser = await launchChromium();
      const page = await browser.newPage();
      await page.goto(`${url}/`);
      await page.waitForSelector('#token');
      await signIn(page, url, ADMIN);
      await expect.poll(() => page.textContent('table.services tbody'), { timeout: 10_000 }).toContain('checkout');
      // The targets view picks up the prober's first result (every second here) on a reload.
      await expect
        .poll(
          async () => {
            await page.goto(`${url}/?view=targets`);
            await page.waitForSelector('table tbody .pill');
            return page.textContent('table tbody .pill');
          },
          { timeout: 20_000, interval: 1_000 },
        )
        .toBe('up');
      await page.screenshot({ path: join(tmpdir(), 'vigil-dashboard.png'), fullPage: true });
    } finally {
      await browser?.close();
    }
  });

  it('stops cleanly on SIGTERM and frees its port', async () => {
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    // The whole process group, as a terminal or a container runtime would (npm itself dies by the signal).
    process.kill(-proc.pid!, 'SIGTERM');
    await exited;
    await expect.poll(() => output).toContain('SIGTERM: stopping Vigil');
    expect(output).not.toContain('error while stopping');
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });
});
