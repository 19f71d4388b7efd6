import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { type Deployment, functionEnvironment } from '../../functions/catalog/environment.js';
import { FUNCTION_NAMES, FUNCTIONS, type FunctionName, type FunctionSpec } from '../../functions/catalog/functions.js';
import { type Env, readSettings, type SettingValues } from '../../functions/catalog/setting-schema.js';
import { SETTING_NAMES, SETTINGS, type SettingSpec } from '../../functions/catalog/settings.js';
import { generateToken } from '../../functions/core/tokens.js';
import { routeMatcher } from '../../functions/platform/route-matcher.js';
import { startLocalDynamo } from './dynamo.js';
import {
  createGateway,
  type GatewayAnswer,
  gatewayDispatcher,
  type LambdaHandler,
  type RequestHead,
} from './gateway.js';
import { type Schedule, type ScheduledHandler, schedule } from './scheduler.js';
import { localStepQueue, type SqsHandler } from './step-queue.js';

/** Local mode: dynalite + the gateway + timers, running the very handler factories that run in AWS. */
const LOCAL_SETTINGS = [
  'port',
  'host',
  'dataDir',
  'adminToken',
  'probeInterval',
  'evalInterval',
  'localLogLevel',
  'localConfig',
  'webhooks',
] as const;

export type LocalSettings = SettingValues<(typeof LOCAL_SETTINGS)[number]>;

export interface LocalOptions {
  /** Keep nothing on disk. */
  readonly memory?: boolean;
  readonly env?: Env;
  readonly print?: (line: string) => void;
  /** A modified function catalogue (tests: an entry with a grant removed). @default FUNCTIONS */
  readonly functions?: Readonly<Record<FunctionName, FunctionSpec>>;
  /** The clock every function is given (tests pin it). @default Date.now */
  readonly clock?: () => number;
}

export interface LocalVigil {
  readonly url: string;
  readonly adminToken: string;
  readonly settings: LocalSettings;
  /** The environment local mode gives a function (what its Lambda would get in AWS). */
  environmentOf(fn: FunctionName): Record<string, string>;
  /** The gateway without a socket: one request translated, answered by the same functions (property tests). */
  dispatch(req: RequestHead, body?: Buffer): Promise<GatewayAnswer>;
  /** Runs a scheduled function once now. */
  runSchedule(fn: FunctionName): Promise<void>;
  close(): Promise<void>;
}

const root = resolve(fileURLToPath(import.meta.url), '../../..');

type Factory = (env: Env, overrides?: object) => unknown;

/** Each entry's `createHandler`, imported once per process; each local instance calls it with its own env. */
async function factoryOf(spec: FunctionSpec): Promise<Factory> {
  const mod = (await import(pathToFileURL(join(root, spec.entry)).href)) as { createHandler?: Factory };
  if (typeof mod.createHandler !== 'function') throw new Error(`${spec.entry} exports no createHandler`);
  return mod.createHandler;
}

function adminToken(settings: LocalSettings, dataDir: string, memory: boolean): { token: string; saved?: string } {
  if (settings.adminToken) return { token: settings.adminToken };
  if (memory) return { token: generateToken() };
  const file = join(dataDir, 'admin-token');
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), saved: file };
  const token = generateToken();
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, saved: file };
}

/** Setting values for the functions: what the user set (catalogue variables only), then local mode's own. */
function localSettingValues(env: Env, settings: LocalSettings, endpoint: string): Record<string, string | undefined> {
  const given: Record<string, string | undefined> = {};
  for (const name of SETTING_NAMES) {
    const spec: SettingSpec = SETTINGS[name];
    if (spec.env && (spec.where === 'platform' || spec.where === 'function')) given[spec.env] = env[spec.env];
  }
  return {
    ...given,
    VIGIL_DYNAMODB_ENDPOINT: endpoint,
    VIGIL_STAGE: 'local',
    VIGIL_NOTIFIER: 'local',
    VIGIL_WEBHOOKS: settings.webhooks.join(','),
    POWERTOOLS_LOG_LEVEL: env.POWERTOOLS_LOG_LEVEL ?? settings.localLogLevel,
    // Probing services on this machine is what local mode is for; metadata addresses stay refused.
    VIGIL_ALLOW_PRIVATE_TARGETS: env.VIGIL_ALLOW_PRIVATE_TARGETS ?? 'true',
    POWERTOOLS_METRICS_DISABLED: env.POWERTOOLS_METRICS_DISABLED ?? 'true',
  };
}

function bootstrapEvent(configFile: string): CloudFormationCustomResourceEvent {
  return {
    RequestType: 'Create',
    ServiceToken: 'local',
    ResponseURL: 'http://localhost/unused',
    StackId: 'local',
    RequestId: 'local-start',
    LogicalResourceId: 'bootstrap',
    ResourceType: 'Custom::VigilBootstrap',
    ResourceProperties: { ServiceToken: 'local', AdminTokenSecretArn: 'local:admin-token', ConfigFile: configFile },
  };
}

export async function startLocal(options: LocalOptions = {}): Promise<LocalVigil> {
  const env = options.env ?? process.env;
  const catalogue = options.functions ?? FUNCTIONS;
  const clock = options.clock ? { clock: options.clock } : {};
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const settings = readSettings(LOCAL_SETTINGS, env);
  const memory = options.memory ?? false;
  const dataDir = resolve(settings.dataDir);
  if (!memory) {
    // The admin token and every stored item live here: only the owner may read them.
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    chmodSync(dataDir, 0o700);
  }
  const dynamo = await startLocalDynamo(memory ? {} : { dataDir: join(dataDir, 'dynamodb') });
  const deployment: Deployment = {
    tables: dynamo.tables,
    topics: {},
    settings: localSettingValues(env, settings, dynamo.endpoint),
  };
  const environmentOf = (fn: FunctionName) => functionEnvironment(catalogue[fn], deployment);
  const { token, saved } = adminToken(settings, dataDir, memory);

  const handlers = new Map<FunctionName, unknown>();
  // SQS for verification steps: an in-process queue whose consumer is the worker made below.
  const stepQueue = localStepQueue({ onDrop: (line) => print(line) });
  try {
    for (const fn of FUNCTION_NAMES) {
      const spec: FunctionSpec = catalogue[fn];
      const create = await factoryOf(spec);
      if (spec.deployHook) {
        // The deploy-time bootstrap, run here at start: the secret is the local admin token.
        const bootstrap = create(environmentOf(fn), { readSecret: async () => token, ...clock }) as (
          e: CloudFormationCustomResourceEvent,
        ) => Promise<{ Data?: Record<string, string> }>;
        const configPath = resolve(settings.localConfig);
        const contents = existsSync(configPath) ? readFileSync(configPath, 'utf8') : '';
        try {
          const out = await bootstrap(bootstrapEvent(contents));
          if (contents)
            print(
              `Applied ${settings.localConfig}: ${[out.Data?.Targets, out.Data?.Rules].filter(Boolean).join(', ')}`,
            );
        } catch (error) {
          throw new Error(`${settings.localConfig}: ${(error as Error).message}`);
        }
        continue;
      }
      const made = create(environmentOf(fn), spec.verificationSteps ? { ...clock, stepQueue } : clock);
      if (spec.verificationSteps === 'consume') stepQueue.attach(made as SqsHandler);
      handlers.set(fn, made);
    }
  } catch (error) {
    await dynamo.close();
    throw error;
  }

  const gateway = {
    matcher: routeMatcher(),
    handler: (fn: FunctionName) => {
      const h = handlers.get(fn);
      if (!h) throw new Error(`${fn} is not an HTTP function`);
      return h as LambdaHandler;
    },
    onError: (error: unknown) => print(`[gateway] ${(error as Error).message}`),
  };
  const server = createGateway({ ...gateway, onAnswer: (line) => print(line) });
  const dispatch = gatewayDispatcher(gateway);
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(settings.port, settings.host, () => res());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${settings.host}:${port}`;

  const schedules = new Map<FunctionName, Schedule>();
  for (const fn of FUNCTION_NAMES) {
    const spec: FunctionSpec = catalogue[fn];
    if (!spec.schedule) continue;
    const local = spec.schedule.localInterval;
    // Validated by the catalogue's rule (whole seconds, 1–86,400): a typo fails the start, not a 1 ms timer.
    const seconds = local ? Number(readSettings([local], env)[local]) : spec.schedule.everySeconds;
    schedules.set(
      fn,
      schedule(fn, seconds, handlers.get(fn) as ScheduledHandler, (error) =>
        print(`[${fn}] ${(error as Error).message}`),
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
    environmentOf,
    dispatch: (req, body) => dispatch(req, body ?? Buffer.alloc(0)),
    runSchedule: async (fn) => {
      const s = schedules.get(fn);
      if (!s) throw new Error(`${fn} has no schedule`);
      await s.runNow();
    },
    close: async () => {
      await Promise.all([...schedules.values()].map((s) => s.stop()));
      await stepQueue.close();
      server.closeAllConnections();
      await new Promise<void>((res) => server.close(() => res()));
      await dynamo.close();
    },
  };
}
