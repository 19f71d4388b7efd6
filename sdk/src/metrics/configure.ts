import { type Env, EnvVar, envBool, envNumber, envPairs, envString, oneOf, pick, processEnv } from '../config/env.js';
import { applyConnectionOptions, type ConnectionOptions, getResource } from '../config/resource.js';
import { type MetricsBackend, MetricsBackendName } from './backends/backend.js';
import { consoleBackend } from './backends/console.js';
import { emfBackend } from './backends/emf.js';
import { prometheusBackend } from './backends/prometheus.js';
import { statsdBackend } from './backends/statsd.js';
import { vigilBackend } from './backends/vigil.js';
import { sanitizeMetricName, sanitizeTags } from './names.js';
import { getMetricsBackend, setMetricsBackend } from './pipeline.js';
import { metricsState } from './state.js';

export interface MetricsOptions extends ConnectionOptions {
  /** Where metrics go. @default VIGIL_METRICS_BACKEND, else 'vigil' */
  readonly backend?: MetricsBackendName;
  /** Prepended to every metric name as `prefix.` (not to the SDK's standard `http.server.*` metrics). @default VIGIL_METRICS_PREFIX, else none */
  readonly prefix?: string;
  /** Tags added to every series; a series' own tags win. @default VIGIL_METRICS_TAGS (`k=v,k2=v2`), else none */
  readonly defaultTags?: Readonly<Record<string, string>>;
  /** `false` turns every metric call into a no-op. @default VIGIL_METRICS_ENABLED, else true */
  readonly enabled?: boolean;
  /** StatsD agent. @default VIGIL_STATSD_HOST / VIGIL_STATSD_PORT, else 127.0.0.1:8125 */
  readonly statsd?: { readonly host?: string; readonly port?: number };
  /** CloudWatch namespace for the `emf` backend. @default the prefix, else the service name */
  readonly namespace?: string;
  /** Raw histogram values kept per series between flushes. @default 1000 */
  readonly maxValuesPerFlush?: number;
  /** Distinct tag sets per metric before new ones are dropped and counted. @default 2000 */
  readonly maxSeriesPerMetric?: number;
}

/** Settings after precedence: options > environment > default. */
export interface ResolvedMetricsSettings {
  readonly backend: MetricsBackendName;
  readonly prefix: string;
  readonly defaultTags: Record<string, string>;
  readonly enabled: boolean;
  readonly statsdHost: string;
  readonly statsdPort: number;
  readonly namespace: string | undefined;
  readonly maxValuesPerFlush: number;
  readonly maxSeriesPerMetric: number;
}

export function resolveMetricsSettings(options: MetricsOptions, env: Env): ResolvedMetricsSettings {
  const prefixRaw = pick(options.prefix, envString(env, EnvVar.metricsPrefix), '');
  return {
    backend: pick(
      oneOf('backend', options.backend, MetricsBackendName),
      oneOf(EnvVar.metricsBackend, envString(env, EnvVar.metricsBackend), MetricsBackendName),
      'vigil',
    ),
    prefix: prefixRaw === '' ? '' : (sanitizeMetricName(prefixRaw) ?? ''),
    defaultTags: sanitizeTags(pick(options.defaultTags, envPairs(env, EnvVar.metricsTags), {})),
    enabled: pick(options.enabled, envBool(env, EnvVar.metricsEnabled), true),
    statsdHost: pick(options.statsd?.host, envString(env, EnvVar.statsdHost), '127.0.0.1'),
    statsdPort: pick(options.statsd?.port, envNumber(env, EnvVar.statsdPort), 8125),
    namespace: options.namespace,
    maxValuesPerFlush: options.maxValuesPerFlush ?? 1000,
    maxSeriesPerMetric: options.maxSeriesPerMetric ?? 2000,
  };
}

function makeBackend(settings: ResolvedMetricsSettings): MetricsBackend {
  switch (settings.backend) {
    case 'prometheus':
      return prometheusBackend();
    case 'statsd':
      return statsdBackend(settings.statsdHost, settings.statsdPort);
    case 'emf':
      return emfBackend(() => settings.namespace ?? (settings.prefix || getResource().serviceName));
    case 'console':
      return consoleBackend();
    default:
      return vigilBackend();
  }
}

/**
 * Configures metrics. Can be called again; the latest call wins. Never throws: an invalid
 * setting is reported on stderr (naming it) and its default used.
 * @example
 * configureMetrics({ backend: 'vigil', prefix: 'shop', defaultTags: { environment: 'production' }, enabled: true });
 */
export function configureMetrics(options: MetricsOptions = {}, env: Env = processEnv()): ResolvedMetricsSettings {
  applyConnectionOptions(options, env);
  const settings = resolveMetricsSettings(options, env);
  metricsState.enabled = settings.enabled;
  metricsState.prefix = settings.prefix;
  metricsState.defaultTags = settings.defaultTags;
  metricsState.maxValuesPerFlush = settings.maxValuesPerFlush;
  metricsState.maxSeriesPerMetric = settings.maxSeriesPerMetric;
  const current = getMetricsBackend();
  // Keep the same backend object when nothing about it changed (no socket churn on reconfigure).
  if (current.name !== settings.backend || settings.backend === 'statsd' || settings.backend === 'emf') {
    setMetricsBackend(makeBackend(settings));
  } else {
    setMetricsBackend(current);
  }
  return settings;
}

/** The backend name in use (middleware mounts `/metrics` only for 'prometheus'). */
export function metricsBackendName(): MetricsBackendName {
  return getMetricsBackend().name;
}
