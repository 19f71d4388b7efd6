import { parseArgs } from 'node:util';
import { ConfigError } from '../functions/catalog/setting-schema.js';
import { startLocal } from '../lib/local/server.js';

/** `npm start`: the whole of Vigil on one machine. `--memory` keeps nothing on disk. */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values } = parseArgs({ options: { memory: { type: 'boolean', default: false } }, allowPositionals: false });

try {
  const vigil = await startLocal({ memory: values.memory });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping Vigil…\n`);
    vigil.close().then(
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
