import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError } from '../functions/catalog/setting-schema.js';
import { buildDashboardAssets } from '../lib/dashboard-assets.js';
import { DEMO_SETTINGS, startDemo } from '../lib/demo/start-demo.js';
import { startLocal } from '../lib/local/server.js';

/** `npm start`: the whole of Vigil on one machine. `--memory` keeps nothing on disk; `--demo` adds simulated services. */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Everything local mode writes (dynalite's files, the admin token) is the owner's alone: files 0600, folders 0700.
process.umask(0o077);

const { values } = parseArgs({
  options: { memory: { type: 'boolean', default: false }, demo: { type: 'boolean', default: false } },
  allowPositionals: false,
});

try {
  const dashboard = buildDashboardAssets(resolve(fileURLToPath(import.meta.url), '../..'));
  if (dashboard.built) process.stdout.write('Built the dashboard (cached until its sources change)\n');
  // The demo probes and evaluates every few seconds so that something moves within a minute.
  if (values.demo) for (const [k, v] of Object.entries(DEMO_SETTINGS)) process.env[k] ??= v;
  const vigil = await startLocal({ memory: values.memory });
  const demo = values.demo ? await startDemo({ url: vigil.url, adminToken: vigil.adminToken }) : undefined;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping Vigil…\n`);
    Promise.resolve(demo?.stop())
      .then(() => vigil.close())
      .then(
        () => process.exit(0),
        (error) => {
          process.stderr.write(`error while stopping: ${(error as Error).message}\n`);
          process.exit(1);
        },
      );
  };
  // A local server should outlive a stray rejection in one request; Lambda would only lose that invocation.
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(`vigil: unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}\n`);
  });
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (error) {
  if (error instanceof ConfigError || (error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    process.stderr.write(`vigil: ${(error as Error).message}\n`);
    process.exit(2);
  }
  throw error;
}
