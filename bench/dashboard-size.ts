import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildDashboardAssets } from '../lib/dashboard-assets.js';

/**
 * `npm run bench:dashboard`: the bytes of the dashboard's first load, raw and gzip (level 9, as CDNs and
 * browsers see them), against the budget of issue #14: at most 150 KB of JavaScript gzip. Exits 1 over budget.
 */
const BUDGET_JS_GZIP = 150 * 1024;
const { assets } = buildDashboardAssets(resolve(fileURLToPath(import.meta.url), '../..'), { force: true });
let jsGzip = 0;
for (const [name, file] of Object.entries(assets)) {
  const gz = gzipSync(file.body, { level: 9 }).length;
  if (name.endsWith('.js')) jsGzip += gz;
  process.stdout.write(
    `${name.padEnd(24)} ${String(Buffer.byteLength(file.body)).padStart(8)} B raw ${String(gz).padStart(7)} B gzip\n`,
  );
}
process.stdout.write(
  `first-load JavaScript: ${(jsGzip / 1024).toFixed(1)} KB gzip (budget ${BUDGET_JS_GZIP / 1024} KB)\n`,
);
if (jsGzip > BUDGET_JS_GZIP) process.exit(1);
