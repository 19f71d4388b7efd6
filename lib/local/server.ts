import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as v from 'valibot';
import { documentClient } from '../../functions/adapters/dynamodb.js';
import { DynamoDbTokenStore } from '../../functions/adapters/dynamodb-token-store.js';
import { generateToken, installBootstrapToken } from '../../functions/core/tokens.js';
import { type Env, intSetting, readConfig } from '../../functions/platform/config.js';
import { applyConfigPath, describeApplied } from '../../functions/targets/apply-config.js';
import { FUNCTION_NAMES, FUNCTIONS, type FunctionName, type FunctionSpec } from '../functions.js';
import { routeMatcher } from '../route-matcher.js';
import { TABLES } from '../tables.js';
import { startLocalDynamo } from './dynamo.js';
import { createGateway, type LambdaHandler } from './gateway.js';
import { type Schedule, type ScheduledHandler, schedule } from './scheduler.js';

/** Local mode: dynalite + the gateway + timers, running the very handlers that run in AWS. */
export const localSchema = v.object({
  VIGIL_PORT: intSetting(4318, 0, 65_535),
  VIGIL_HOST: v.optional(v.string(), '127.0.0.1'),
  VIGIL_DATA_DIR: v.optional(v.string(), '.vigil'),
  /** Empty means unset: a token is generated (and saved unless --memory). */
  VIGIL_ADMIN_TOKEN: v.optional(v.string(), ''),
  VIGIL_PROBE_INTERVAL: intSetting(60, 1, 86_400),
  VIGIL_EVAL_INTERVAL: intSetting(60, 1, 86_400),
  VIGIL_WEBHOOKS: v.optional(v.string(), ''),
  VIGIL_LOG_LEVEL: v.optional(v.picklist(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']), 'WARN'),
  /** Targets as code: applied at start when the file exists (see docs/PROBING.md). */
  VIGIL_CONFIG: v.optional(v.pipe(v.string(), v.minLength(1, 'must not be empty')), './vigil.config.json'),
});

export type LocalSettings = v.InferOutput<typeof localSchema>;

export interface LocalOptions {
  /** Keep nothing on disk. */
  readonly memory?: boolean;
  readonly env?: Env;
  readonly print?: (line: string) => void;
}

export interface LocalVigil {
  readonly url: string;
  readonly adminToken: string;
  readonly settings: LocalSettings;
  /** Runs a scheduled function once now. */
  runSchedule(fn: FunctionName): Promise<void>;
  close(): Promise<void>;
}

let instances = 0;
const root = resolve(fileURLToPath(import.meta.url), '../../..');

function adminToken(settings: LocalSettings, memory: boolean): { token: string; saved?: string } {
  if (settings.VIGIL_ADMIN_TOKEN) return { token: settings.VIGIL_ADMIN_TOKEN };
  if (memory) return { token: generateToken() };
  const file = join(settings.VIGIL_DATA_DIR, 'admin-token');
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), saved: file };
  const token = generateToken();
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, saved: file };
}

export async function startLocal(options: LocalOptions = {}): Promise<LocalVigil> {
  const env = options.env ?? process.env;
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const settings = readConfig(localSchema, env);
  const memory = options.memory ?? false;
  const dataDir = resolve(settings.VIGIL_DATA_DIR);
  const dynamo = await startLocalDynamo(memory ? {} : { dataDir: join(dataDir, 'dynamodb') });

  // The handlers read their configuration at import, exactly as at a Lambda cold start: every VIGIL_ and
  // POWERTOOLS_ setting given to local mode reaches them, plus what points them at dynalite.
  const passThrough = Object.fromEntries(
    Object.entries(env).filter(([k, val]) => /^(VIGIL|POWERTOOLS)_/.test(k) && val !== undefined),
  );
  Object.assign(process.env, passThrough, {
    ...dynamo.tableEnv,
    VIGIL_DYNAMODB_ENDPOINT: dynamo.endpoint,
    VIGIL_STAGE: 'local',
    VIGIL_NOTIFIER: 'local',
    VIGIL_WEBHOOKS: settings.VIGIL_WEBHOOKS,
    // Probing services on this machine is what local mode is for; metadata addresses stay refused.
    VIGIL_ALLOW_PRIVATE_TARGETS: env.VIGIL_ALLOW_PRIVATE_TARGETS ?? 'true',
    POWERTOOLS_DEV: env.POWERTOOLS_DEV ?? 'true',
    POWERTOOLS_LOG_LEVEL: env.POWERTOOLS_LOG_LEVEL ?? settings.VIGIL_LOG_LEVEL,
    POWERTOOLS_METRICS_DISABLED: env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });

  const { token, saved } = adminToken({ ...settings, VIGIL_DATA_DIR: dataDir }, memory);
  const db = documentClient({ endpoint: dynamo.endpoint });
  await installBootstrapToken(
    new DynamoDbTokenStore(db, dynamo.tableEnv[TABLES.tokens.envVar]!),
    token,
    Date.now(),
    'admin (local mode)',
  );
  // Targets as code (issue #5): an absent file is nothing to do; an invalid one stops the start, naming the field.
  try {
    const applied = await applyConfigPath(
      db,
      dynamo.tableEnv[TABLES.probes.envVar]!,
      settings.VIGIL_CONFIG,
      Date.now(),
      { allowPrivate: (env.VIGIL_ALLOW_PRIVATE_TARGETS ?? 'true') === 'true' },
    );
    if (applied) print(`Applied ${settings.VIGIL_CONFIG}: ${describeApplied(applied)}`);
  } catch (error) {
    db.destroy();
    await dynamo.close();
    throw error;
  }
  db.destroy();

  // Each local instance imports its own copy of each handler module (a distinct URL), so a second instance
  // in one process (tests) gets handlers configured for its own tables, as a new Lambda sandbox would.
  const instance = ++instances;
  const loaded = new Map<FunctionName, Promise<unknown>>();
  const load = <H>(fn: FunctionName): Promise<H> => {
    let mod = loaded.get(fn);
    if (!mod) {
      const url = `${pathToFileURL(join(root, FUNCTIONS[fn].entry)).href}?instance=${instance}`;
      mod = import(url).then((m) => (m as { handler: H }).handler);
      loaded.set(fn, mod);
    }
    return mod as Promise<H>;
  };

  const server = createGateway({
    matcher: routeMatcher(),
    handler: (fn) => load<LambdaHandler>(fn),
    onError: (error) => print(`[gateway] ${(error as Error).message}`),
  });
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(settings.VIGIL_PORT, settings.VIGIL_HOST, () => res());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${settings.VIGIL_HOST}:${port}`;

  const schedules = new Map<FunctionName, Schedule>();
  for (const fn of FUNCTION_NAMES) {
    const spec: FunctionSpec = FUNCTIONS[fn];
    if (!spec.schedule) continue;
    const localEnv = spec.schedule.localIntervalEnv as keyof LocalSettings | undefined;
    const seconds = localEnv ? Number(settings[localEnv]) : spec.schedule.everySeconds;
    schedules.set(
      fn,
      schedule(
        fn,
        seconds,
        () => load<ScheduledHandler>(fn),
        (error) => print(`[${fn}] ${(error as Error).message}`),
      ),
    );
  }

  print(`Vigil is running (local mode${memory ? ', in memory' : `, data in ${dataDir}`})`);
  print(`  Dashboard:   ${url}/`);
  print(`  API:         ${url}/v1/…   OTLP/HTTP: ${url}/v1/{traces,metrics,logs}`);
  print(`  Admin token: ${token}${saved ? `   (saved in ${saved})` : ''}`);

  return {
    url,
    adminToken: token,
    settings,
    runSchedule: async (fn) => {
      const s = schedules.get(fn);
      if (!s) throw new Error(`${fn} has no schedule`);
      await s.runNow();
    },
    close: async () => {
      await Promise.all([...schedules.values()].map((s) => s.stop()));
      server.closeAllConnections();
      await new Promise<void>((res) => server.close(() => res()));
      await dynamo.close();
    },
  };
}
