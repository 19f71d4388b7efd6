import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signIn } from './browser.js';
import { startDemoVigil, stopProcessGroup } from './demo-process.js';

/**
 * The dashboard against local mode with demo data, in Debian's Chromium: each view is checked by axe-core
 * (no serious or critical violation) and saved as a screenshot in test-artifacts/e2e/ (gitignored).
 */
const ADMIN = 'e2e-dashboard-admin-0123456789abcdef';
const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts/e2e');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let proc: ChildProcess;
let url: string;
let browser: Browser;
let page: Page;
const violations: string[] = [];

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
  });

async function check(name: string): Promise<void> {
  // Injected through the DevTools protocol, which the page's CSP does not govern (an inline <script> would be refused).
  await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (o: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run({ resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  expect(found, `axe on ${name}`).toEqual([]);
}

async function routeExists(path: string): Promise<boolean> {
  const res = await api(path);
  const body = (await res.json().catch(() => ({}))) as { detail?: string };
  return !(res.status === 404 && /^no route for /.test(body.detail ?? ''));
}

describe('dashboard (Chromium, demo data)', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    ({ proc, url } = await startDemoVigil(ADMIN));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    page.on('pageerror', (e) => violations.push(`page error: ${e.message}`));
  }, 150_000);
  afterAll(async () => {
    await browser?.close();
    if (proc) stopProcessGroup(proc);
  });

  it('signs in with a token kept in sessionStorage, never in the URL', async () => {
    await page.goto(`${url}/`);
    await check('sign-in');
    await signIn(page, url, ADMIN);
    expect(await page.evaluate(() => sessionStorage.getItem('vigil.token'))).toBe(ADMIN);
    expect(page.url()).not.toContain(ADMIN);
  });

  it('shows every demo service on the overview, quickly, with a sparkline each', async () => {
    await page.goto(`${url}/?range=1h`);
    await page.waitForSelector('table.services tbody tr');
    const firstViewMs = await page.evaluate(() => performance.now());
    process.stdout.write(`dashboard first view (navigation start to services table): ${firstViewMs.toFixed(0)} ms\n`);
    // Recorded only (docs/BENCHMARKS.md); tests assert no durations.
    const services = await page.$$eval('table.services tbody th a', (as) => as.map((a) => a.textContent));
    expect(services.sort()).toEqual(['checkout', 'inventory', 'payments', 'search']);
    await expect.poll(async () => (await page.$$('table.services svg.spark polyline')).length).toBe(4);
    await check('overview');
  });

  it('stays readable at phone width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${url}/`);
    await page.waitForSelector('table.services tbody tr');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(ARTIFACTS, 'overview-390px.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("draws a service's charts with data points", async () => {
    await page.goto(`${url}/`);
    await page.click('table.services a:text-is("checkout")');
    await page.waitForSelector('.chart canvas');
    expect(new URL(page.url()).search).toBe('?view=service&service=checkout');
    const plotted = await page.$$eval('.chart > div', (els) =>
      els.map((el) => {
        const u = (el as HTMLElement & { uplot?: { data: (number | null)[][] } }).uplot;
        return u ? u.data.slice(1).reduce((n, col) => n + col.filter((v) => v !== null).length, 0) : 0;
      }),
    );
    expect(plotted.length).toBeGreaterThanOrEqual(3);
    for (const n of plotted) expect(n).toBeGreaterThan(10);
    // And the canvas really has coloured pixels, not only data handed to it.
    const painted = await page.$eval('.chart canvas', (c) => {
      const ctx = (c as HTMLCanvasElement).getContext('2d')!;
      const { data } = ctx.getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height);
      let blue = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 2]! > 180 && data[i]! < 120 && data[i + 3]! > 0) blue++;
      return blue;
    });
    expect(painted).toBeGreaterThan(100);
    expect(await page.textContent('.heartbeat')).toBe('');
    expect(await page.$$('.heartbeat .beat')).not.toHaveLength(0);
    await check('service');
  });

  it('searches logs by text and opens a trace from a log line', async () => {
    await page.goto(`${url}/?view=logs&service=payments`);
    await page.fill('input[type=search]', 'declined');
    await page.click('form.filters button[type=submit]');
    await page.waitForSelector('.log-lines li');
    expect(new URL(page.url()).searchParams.get('q')).toBe('declined');
    const lines = await page.$$eval('.log-lines li', (ls) => ls.map((l) => l.textContent ?? ''));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toContain('declined');
    await check('logs');
    await page.click('.log-lines .trace-link');
    await page.waitForSelector('.waterfall .span');
    expect(new URL(page.url()).searchParams.get('view')).toBe('traces');
  });

  it("shows a trace's waterfall with nested spans and the dependency map", async () => {
    await page.goto(`${url}/?view=traces&service=checkout`);
    await page.click('table tbody a');
    await page.waitForSelector('.waterfall .span');
    const spans = await page.$$eval('.waterfall .span-name', (s) => s.map((x) => x.textContent ?? ''));
    expect(spans.some((s) => s.includes('call payments'))).toBe(true);
    await page.click('.waterfall .span-row');
    await page.waitForSelector('.span-detail');
    const edges = await page.$$eval('svg.depmap .edge text', (t) => t.map((x) => x.textContent ?? ''));
    expect(edges.length).toBeGreaterThanOrEqual(3);
    await check('traces');
  });

  it('acts on alerts through the API, or says the alerting API is not deployed', async () => {
    await page.goto(`${url}/?view=alerts`);
    if (await routeExists('/v1/alerts')) {
      await page.waitForSelector('[data-alert] button:text-is("Acknowledge")', { timeout: 60_000 });
      const id = await page.getAttribute('[data-alert]', 'data-alert');
      await page.click('[data-alert] button:text-is("Acknowledge")');
      await expect
        .poll(async () => ((await (await api(`/v1/alerts/${id}`)).json()) as { acknowledged?: unknown }).acknowledged)
        .toBeTruthy();
      await page.click('[data-alert] button:text-is("Silence 1 h")');
      await expect
        .poll(async () => ((await (await api('/v1/silences')).json()) as { items: unknown[] }).items.length)
        .toBeGreaterThan(0);
    } else {
      await page.waitForSelector('.notice');
      expect(await page.textContent('main')).toContain('Alerts are not available yet in this deployment');
    }
    await check('alerts');
  });

  it("shows a deployment's verdict, or says the verification API is not deployed", async () => {
    await page.goto(`${url}/?view=deployments`);
    if (await routeExists('/v1/verifications')) {
      await page.waitForSelector('.verification .pill', { timeout: 60_000 });
      expect(await page.textContent('.verification .pill')).toMatch(/pass|marginal|fail|inconclusive|running/);
    } else {
      await page.waitForSelector('.notice');
      expect(await page.textContent('main')).toContain(
        'Deployment verifications are not available yet in this deployment',
      );
    }
    await check('deployments');
  });

  it('adds, edits and deletes a health target, and names what the API refused', async () => {
    await page.goto(`${url}/?view=targets`);
    await page.waitForSelector('table tbody tr');
    await check('targets');
    await page.fill('.target-form input >> nth=0', 'docs-site');
    await page.fill('.target-form input >> nth=1', 'docs');
    await page.fill('.target-form input >> nth=2', `${url}/health`);
    await page.fill('.target-form input >> nth=3', '0');
    await page.click('.target-form button[type=submit]');
    await page.waitForSelector('.target-form .notice.error');
    expect(await page.textContent('.target-form .notice')).toContain('intervalSeconds');
    await page.fill('.target-form input >> nth=3', '30');
    await page.click('.target-form button[type=submit]');
    await expect.poll(async () => (await api('/v1/targets/docs-site')).status).toBe(200);
    await page.click('button[aria-label="Edit docs-site"]');
    await page.fill('.target-form input >> nth=1', 'documentation');
    await page.click('.target-form button[type=submit]');
    await expect
      .poll(async () => ((await (await api('/v1/targets/docs-site')).json()) as { service: string }).service)
      .toBe('documentation');
    page.once('dialog', (d) => void d.accept());
    await page.click('button[aria-label="Delete docs-site"]');
    await expect.poll(async () => (await api('/v1/targets/docs-site')).status).toBe(404);
  });

  it('tells a read-only token that an action needs write, and signs out', async () => {
    const minted = await api('/v1/tokens', {
      method: 'POST',
      body: JSON.stringify({ name: 'viewer', scopes: ['read'] }),
    });
    const { token } = (await minted.json()) as { token: string };
    await page.click('button.sign-out');
    await signIn(page, url, token);
    await page.goto(`${url}/?view=targets`);
    await page.fill('.target-form input >> nth=0', 'nope');
    await page.fill('.target-form input >> nth=1', 'x');
    await page.fill('.target-form input >> nth=2', 'http://127.0.0.1:1/');
    await page.click('.target-form button[type=submit]');
    await page.waitForSelector('.target-form .notice.error');
    expect(await page.textContent('.target-form .notice')).toContain('lacks the scope');
    await page.click('button.sign-out');
    await page.waitForSelector('#token');
    expect(await page.evaluate(() => sessionStorage.getItem('vigil.token'))).toBeNull();
  });

  it('ran every view without a CSP violation or a script error', () => {
    expect(violations).toEqual([]);
  });
});
