import { type Env, EnvVar, envNumber, envPairs, envString, inRange, oneOf, pick, processEnv } from '../config/env.js';
import { applyConnectionOptions, type ConnectionOptions, DEFAULT_ENDPOINT } from '../config/resource.js';
import { registerFlushable } from '../lifecycle/shutdown.js';
import { vigilErrorSink } from './error-sink.js';
import { consoleSpanExporter, noopSpanExporter } from './exporters/console.js';
import { otlpSpanExporter } from './exporters/otlp.js';
import { vigilSpanExporter } from './exporters/vigil.js';
import { type SpanExporter, tracerState } from './state.js';

export const TraceExporterName = ['vigil', 'otlp', 'console', 'none'] as const;
export type TraceExporterName = (typeof TraceExporterName)[number];

export interface TracingOptions extends ConnectionOptions {
  /** Fraction of new traces recorded (0–1); a parent's sampled flag always wins. @default VIGIL_TRACE_SAMPLE_RATE, OTEL_TRACES_SAMPLER_ARG, else 1 */
  readonly sampleRate?: number;
  /** Where spans go. @default VIGIL_TRACE_EXPORTER, OTEL_TRACES_EXPORTER, else 'vigil' */
  readonly exporter?: TraceExporterName;
  /** OTLP/HTTP base URL (`/v1/traces` is appended). @default OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (full URL), OTEL_EXPORTER_OTLP_ENDPOINT, else http://127.0.0.1:4318 */
  readonly otlpEndpoint?: string;
  /** Extra headers for OTLP requests. @default OTEL_EXPORTER_OTLP_HEADERS */
  readonly otlpHeaders?: Readonly<Record<string, string>>;
  /** Send exceptions recorded on spans to Vigil as error events. @default true */
  readonly sendErrors?: boolean;
}

export interface ResolvedTracingSettings {
  readonly sampleRate: number;
  readonly exporter: TraceExporterName;
  readonly otlpUrl: string;
  readonly otlpHeaders: Record<string, string>;
  readonly sendErrors: boolean;
}

export function resolveTracingSettings(options: TracingOptions, env: Env): ResolvedTracingSettings {
  const envExporter = envString(env, EnvVar.traceExporter, EnvVar.otelTracesExporter);
  const tracesUrl = envString(env, EnvVar.otlpTracesEndpoint);
  const base = pick(options.otlpEndpoint, envString(env, EnvVar.otlpEndpoint), DEFAULT_ENDPOINT).replace(/\/+$/, '');
  return {
    sampleRate: pick(
      inRange('sampleRate', options.sampleRate, 0, 1),
      inRange(
        EnvVar.traceSampleRate,
        envNumber(env, EnvVar.traceSampleRate) ?? envNumber(env, EnvVar.otelSamplerArg),
        0,
        1,
      ),
      1,
    ),
    exporter: pick(
      oneOf('exporter', options.exporter, TraceExporterName),
      oneOf(EnvVar.traceExporter, envExporter, TraceExporterName),
      'vigil',
    ),
    otlpUrl: options.otlpEndpoint === undefined && tracesUrl ? tracesUrl : `${base}/v1/traces`,
    otlpHeaders: { ...(envPairs(env, EnvVar.otlpHeaders) ?? {}), ...(options.otlpHeaders ?? {}) },
    sendErrors: options.sendErrors ?? true,
  };
}

function makeExporter(settings: ResolvedTracingSettings): SpanExporter {
  switch (settings.exporter) {
    case 'otlp':
      return otlpSpanExporter(settings.otlpUrl, settings.otlpHeaders);
    case 'console':
      return consoleSpanExporter();
    case 'none':
      return noopSpanExporter();
    default:
      return vigilSpanExporter();
  }
}

/**
 * Configures tracing. Can be called again; the latest call wins. Never throws.
 * @example
 * configureTracing({ serviceName: 'checkout', sampleRate: 0.1, exporter: 'vigil' });
 * configureTracing({ exporter: 'otlp', otlpEndpoint: 'http://tempo:4318' });
 */
export function configureTracing(options: TracingOptions = {}, env: Env = processEnv()): ResolvedTracingSettings {
  applyConnectionOptions(options, env);
  const settings = resolveTracingSettings(options, env);
  const previous = tracerState.exporter;
  tracerState.sampleRate = settings.sampleRate;
  tracerState.exporter = makeExporter(settings);
  tracerState.errorSink = settings.sendErrors ? vigilErrorSink : undefined;
  if (previous?.shutdown) void previous.shutdown(5000);
  return settings;
}

// Defaults before any configure call: everything to Vigil, all traces sampled.
tracerState.exporter = vigilSpanExporter();
tracerState.errorSink = vigilErrorSink;

registerFlushable({
  name: 'traces',
  stage: 20,
  flush: (timeoutMs) => tracerState.exporter?.flush(timeoutMs) ?? Promise.resolve(),
  shutdown: (timeoutMs) =>
    tracerState.exporter?.shutdown?.(timeoutMs) ?? tracerState.exporter?.flush(timeoutMs) ?? Promise.resolve(),
});
