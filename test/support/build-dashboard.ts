import { resolve } from 'node:path';
import { buildDashboardAssets } from '../../lib/dashboard-assets.js';

/** vitest globalSetup: the dashboard function imports the built frontend, so build it (cached) before any test. */
export function setup(): void {
  buildDashboardAssets(resolve(import.meta.dirname, '../..'));
}
