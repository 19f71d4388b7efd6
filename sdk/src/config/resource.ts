import { type Env, EnvVar, envString, inRange, pick, processEnv } from './env.js';

/** Who is sending, and where to: shared by metrics, logs and traces. */
export interface VigilResource {
  readonly serviceName: string;
  readonly environment?: string;
  readonly version?: string;
  readonly endpoint: string;
  readonly token?: string;
}

/** Transport settings shared by every exporter. */
export interface ExportSettings {
  readonly flushIntervalMs: number;
  readonly maxBatchSize: number;
  readonly maxQueueSize: number;
  readonly maxRetries: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly requestTimeoutMs: number;
}

/** Options every `configure*` function accepts for identity and transport. */
export interface ConnectionOptions {
  /** Service name on every metric, log and span. @default VIGIL_SERVICE, OTEL_SERVICE_NAME, else 'unknown_service' */
  readonly serviceName?: string;
  /** Deployment environment. @default VIGIL_ENVIRONMENT */
  readonly environment?: string;
  /** Service version. @default VIGIL_VERSION */
  readonly version?: string;
  /** Vigil base URL. @default VIGIL_ENDPOINT, else 'http://127.0.0.1:4318' */
  readonly endpoint?: string;
  /** Ingest token (scope `ingest`). @default VIGIL_TOKEN */
  readonly token?: string;
  /** Flush at least this often. @default 5000 */
  readonly flushIntervalMs?: number;
  /** Items per HTTP request. @default 500 */
  readonly maxBatchSize?: number;
  /** Items kept in memory while Vigil is unreachable; beyond this new items are dropped and counted. @default 10000 */
  readonly maxQueueSize?: number;
  /** Retries of one batch on 429/5xx/network errors before it is dropped and counted. @default 8 */
  readonly maxRetries?: number;
  /** First retry delay (exponential with full jitter). @default 500 */
  readonly initialBackoffMs?: number;
  /** Largest retry delay. @default 30000 */
  readonly maxBackoffMs?: number;
  /** Per-request timeout. @default 10000 */
  readonly requestTimeoutMs?: number;
}

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:4318';

let merged: ConnectionOptions = {};
let resource: VigilResource = resolveResource({}, processEnv());
let exportSettings: ExportSettings = resolveExportSettings({});

/** Resolves identity and endpoint with the precedence options > environment > default. */
export function resolveResource(options: ConnectionOptions, env: Env): VigilResource {
  const serviceName = pick(
    options.serviceName,
    envString(env, EnvVar.service, EnvVar.otelServiceName),
    'unknown_service',
  );
  const environment = options.environment ?? envString(env, EnvVar.environment);
  const version = options.version ?? envString(env, EnvVar.version);
  const endpoint = pick(options.endpoint, envString(env, EnvVar.endpoint), DEFAULT_ENDPOINT).replace(/\/+$/, '');
  const token = options.token ?? envString(env, EnvVar.token);
  return {
    serviceName,
    endpoint,
    ...(environment === undefined ? {} : { environment }),
    ...(version === undefined ? {} : { version }),
    ...(token === undefined ? {} : { token }),
  };
}

/** Resolves transport settings; out-of-range values fall back to the default with a warning. */
export function resolveExportSettings(options: ConnectionOptions): ExportSettings {
  return {
    flushIntervalMs: pick(inRange('flushIntervalMs', options.flushIntervalMs, 10, 3_600_000), undefined, 5000),
    maxBatchSize: pick(inRange('maxBatchSize', options.maxBatchSize, 1, 100_000), undefined, 500),
    maxQueueSize: pick(inRange('maxQueueSize', options.maxQueueSize, 1, 10_000_000), undefined, 10_000),
    maxRetries: pick(inRange('maxRetries', options.maxRetries, 0, 1000), undefined, 8),
    initialBackoffMs: pick(inRange('initialBackoffMs', options.initialBackoffMs, 0, 600_000), undefined, 500),
    maxBackoffMs: pick(inRange('maxBackoffMs', options.maxBackoffMs, 0, 3_600_000), undefined, 30_000),
    requestTimeoutMs: pick(inRange('requestTimeoutMs', options.requestTimeoutMs, 1, 600_000), undefined, 10_000),
  };
}

/** Applies connection options from any `configure*` call; later calls refine earlier ones. */
export function applyConnectionOptions(options: ConnectionOptions, env: Env = processEnv()): void {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  merged = { ...merged, ...defined };
  resource = resolveResource(merged, env);
  exportSettings = resolveExportSettings(merged);
}

export function getResource(): VigilResource {
  return resource;
}

export function getExportSettings(): ExportSettings {
  return exportSettings;
}

/** Back to what the environment alone says (tests). */
export function resetResource(env: Env = processEnv()): void {
  merged = {};
  resource = resolveResource({}, env);
  exportSettings = resolveExportSettings({});
}
