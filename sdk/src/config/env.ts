import { warnOnce } from '../internal/diagnostics.js';

/** The environment the SDK reads; a parameter so tests can pass their own. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Environment variables the SDK reads, by setting. */
export const EnvVar = {
  endpoint: 'VIGIL_ENDPOINT',
  token: 'VIGIL_TOKEN',
  service: 'VIGIL_SERVICE',
  environment: 'VIGIL_ENVIRONMENT',
  version: 'VIGIL_VERSION',
  otelServiceName: 'OTEL_SERVICE_NAME',
  otlpEndpoint: 'OTEL_EXPORTER_OTLP_ENDPOINT',
  otlpTracesEndpoint: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  otlpHeaders: 'OTEL_EXPORTER_OTLP_HEADERS',
  logLevel: 'VIGIL_LOG_LEVEL',
  logJson: 'VIGIL_LOG_JSON',
  logConsole: 'VIGIL_LOG_CONSOLE',
  logFile: 'VIGIL_LOG_FILE',
  logShip: 'VIGIL_LOG_SHIP',
  metricsBackend: 'VIGIL_METRICS_BACKEND',
  metricsPrefix: 'VIGIL_METRICS_PREFIX',
  metricsTags: 'VIGIL_METRICS_TAGS',
  metricsEnabled: 'VIGIL_METRICS_ENABLED',
  statsdHost: 'VIGIL_STATSD_HOST',
  statsdPort: 'VIGIL_STATSD_PORT',
  traceSampleRate: 'VIGIL_TRACE_SAMPLE_RATE',
  otelSamplerArg: 'OTEL_TRACES_SAMPLER_ARG',
  traceExporter: 'VIGIL_TRACE_EXPORTER',
  otelTracesExporter: 'OTEL_TRACES_EXPORTER',
  healthCacheTtl: 'VIGIL_HEALTH_CACHE_TTL',
  healthIncludeDependencies: 'VIGIL_HEALTH_INCLUDE_DEPENDENCIES',
} as const;

/** The process environment, read at configure time. */
export function processEnv(): Env {
  return process.env;
}

/** First non-empty value among `names`. */
export function envString(env: Env, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return undefined;
}

/** A finite number from `name`, or undefined with a warning that names the variable. */
export function envNumber(env: Env, name: string): number | undefined {
  const raw = envString(env, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (Number.isFinite(value)) return value;
  warnOnce(`env:${name}`, `${name}=${JSON.stringify(raw)} is not a number; ignored`);
  return undefined;
}

/** `true/1/yes/on` or `false/0/no/off`; anything else is ignored with a warning. */
export function envBool(env: Env, name: string): boolean | undefined {
  const raw = envString(env, name)?.toLowerCase();
  if (raw === undefined) return undefined;
  if (['true', '1', 'yes', 'on'].includes(raw)) return true;
  if (['false', '0', 'no', 'off'].includes(raw)) return false;
  warnOnce(`env:${name}`, `${name}=${JSON.stringify(raw)} is not a boolean; ignored`);
  return undefined;
}

/** `key=value,key2=value2` (the OTEL_RESOURCE_ATTRIBUTES shape). */
export function envPairs(env: Env, name: string): Record<string, string> | undefined {
  const raw = envString(env, name);
  if (raw === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const part of raw.split(',')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    out[decodeURIComponent(part.slice(0, at).trim())] = decodeURIComponent(part.slice(at + 1).trim());
  }
  return out;
}

/** One of `allowed`, or undefined with a warning naming the setting. */
export function oneOf<T extends string>(
  setting: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  warnOnce(
    `value:${setting}:${value}`,
    `${setting}=${JSON.stringify(value)} is not one of ${allowed.join(', ')}; using the default`,
  );
  return undefined;
}

/** Options > environment > default. */
export function pick<T>(option: T | undefined, fromEnv: T | undefined, fallback: T): T {
  if (option !== undefined) return option;
  if (fromEnv !== undefined) return fromEnv;
  return fallback;
}

/** A number within [min, max], or undefined with a warning naming the setting. */
export function inRange(setting: string, value: number | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && value >= min && value <= max) return value;
  warnOnce(`range:${setting}:${value}`, `${setting}=${String(value)} is outside [${min}, ${max}]; using the default`);
  return undefined;
}
