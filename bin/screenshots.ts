import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDashboardAssets } from '../lib/dashboard-assets.js';
import { DEMO_SETTINGS, startDemo } from '../lib/demo/start-demo.js';
import { startLocal } from '../lib/local/server.js';
import { launchChromium, signIn } from '../test/e2e/browser.js';

/**
 * `npm run screenshots`: docs/screenshots/overview.png and service.png for the README, from the demo: local mode
 * in memory on a free port, an hour of simulated traffic, then Chromium at 1280×800 in light mode.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const root = resolve(fileURLToPath(import.meta.url), '../..');
const out = join(root, 'docs/screenshots');
mkdirSync(out, { recursive: true });
buildDashboardAssets(root);
const vigil = await startLocal({
  memory: true,
  env: {
    ...process.env,
    ...DEMO_SETTINGS,
    VIGIL_PORT: '0',
    VIGIL_LOG_LEVEL: 'SILENT',
    VIGIL_CONFIG: join(tmpdir(), 'vigil-screenshots-no-config.json'),
  },
  print: () => undefined,
});
const demo = await startDemo({ url: vigil.url, adminToken: vigil.adminToken, print: () => undefined });
const browser = await launchChromium();
try {
  // Let the prober see the flapping target go down and up again first.
  await new Promise((r) => setTimeout(r, 25_000));
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  await signIn(page, vigil.url, vigil.adminToken);
  await page.goto(`${vigil.url}/?paused=1`);
  await page.waitForSelector('table.services svg.spark polyline');
  await page.screenshot({ path: join(out, 'overview.png') });
  await page.goto(`${vigil.url}/?view=service&service=payments&paused=1`);
  await page.waitForSelector('.heartbeat .beat');
  await page.waitForSelector('.chart canvas');
  await page.screenshot({ path: join(out, 'service.png'), fullPage: true });
  process.stdout.write(`wrote ${join(out, 'overview.png')} and service.png\n`);
} finally {
  await browser.close();
  await demo.stop();
  await vigil.close();
}
