import type { ConnectionOptions } from '../config/resource.js';

export interface MonitoringOptions extends ConnectionOptions {
  /** Where the health+json handler is mounted (`false` to skip). @default '/health' */
  readonly healthPath?: string | false;
  /** Where Prometheus text is served when the metrics backend is 'prometheus' (`false` to skip). @default '/metrics' */
  readonly metricsPath?: string | false;
  /** Paths not measured, logged or traced. @default [healthPath, metricsPath] */
  readonly ignorePaths?: readonly string[];
  /** Write one access log line per request. @default true */
  readonly accessLog?: boolean;
}

export interface ResolvedMonitoringOptions {
  readonly healthPath: string | false;
  readonly metricsPath: string | false;
  readonly ignore: ReadonlySet<string>;
  readonly accessLog: boolean;
}

export function resolveMonitoringOptions(options: MonitoringOptions): ResolvedMonitoringOptions {
  const healthPath = options.healthPath ?? '/health';
  const metricsPath = options.metricsPath ?? '/metrics';
  const ignore = options.ignorePaths ?? [healthPath, metricsPath].filter((p): p is string => typeof p === 'string');
  return { healthPath, metricsPath, ignore: new Set(ignore), accessLog: options.accessLog ?? true };
}
