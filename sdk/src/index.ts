// @vigil/sdk — metrics, structured logging, tracing, health checks and middleware for services.

export { EnvVar } from './config/env.js';
export type { ConnectionOptions, VigilResource } from './config/resource.js';
export { appendLogContext, withLogContext } from './context/store.js';
export {
  checkHealth,
  configureHealthChecks,
  HEALTH_CONTENT_TYPE,
  type HealthOptions,
  healthHandler,
} from './health/configure.js';
export { registerDependency, registerHealthCheck, unregisterHealthCheck } from './health/registry.js';
export type {
  HealthCheckFn,
  HealthCheckOptions,
  HealthCheckResult,
  HealthReport,
  HealthStatus,
} from './health/types.js';
export { type Diagnostics, getDiagnostics } from './internal/diagnostics.js';
export { flush, shutdown } from './lifecycle/shutdown.js';
export { configureLogging, type LoggingOptions, type ResolvedLoggingSettings } from './logging/configure.js';
export { LogLevel, type LogLevelName } from './logging/levels.js';
export { getLogger, type LogAttributes, Logger, logger } from './logging/logger.js';
export { metricsHandler, PROMETHEUS_CONTENT_TYPE, renderPrometheus } from './metrics/backends/prometheus.js';
export { configureMetrics, type MetricsOptions, type ResolvedMetricsSettings } from './metrics/configure.js';
export { Counter, CounterSeries } from './metrics/counter.js';
export { counter, gauge, histogram, timer } from './metrics/create.js';
export type { MetricOptions } from './metrics/family.js';
export { Gauge, type GaugeOptions, GaugeSeries } from './metrics/gauge.js';
export {
  DEFAULT_BUCKETS,
  DEFAULT_MS_BUCKETS,
  Histogram,
  type HistogramOptions,
  HistogramSeries,
} from './metrics/histogram.js';
export type { TagInput, Tags } from './metrics/names.js';
export { flushMetrics } from './metrics/pipeline.js';
export { vigilErrorHandler } from './middleware/express.js';
export { type LambdaMonitoringOptions, vigilMiddleware } from './middleware/middy.js';
export type { MonitoringOptions } from './middleware/options.js';
export { setupMonitoring } from './middleware/setup-monitoring.js';
export {
  configureTracing,
  type ResolvedTracingSettings,
  type TraceExporterName,
  type TracingOptions,
} from './tracing/configure.js';
export { injectTraceHeaders, tracedFetch, traceHeaders } from './tracing/fetch.js';
export { type AttributeValue, Span, SpanKind, type SpanStatus } from './tracing/span.js';
export { formatTraceparent, parseTraceparent, type SpanContext } from './tracing/traceparent.js';
export { getActiveSpan, runWithSpan, type SpanOptions, startSpan, withSpan } from './tracing/tracer.js';
