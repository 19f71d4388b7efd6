import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDashboardAssets } from '../lib/dashboard-assets.js';

/** `npm run build:dashboard`: rebuilds the dashboard's generated asset module (`--force` ignores the cache). */
const build = buildDashboardAssets(resolve(fileURLToPath(import.meta.url), '../..'), {
  force: process.argv.includes('--force'),
});
process.stdout.write(`${build.built ? 'built' : 'up to date'}: ${Object.keys(build.assets).join(', ')}\n`);
