import { describe, expect, it } from 'vitest';
import { resolveResource } from '../src/config/resource.js';
import { resolveHealthSettings } from '../src/health/configure.js';
import { resolveLoggingSettings } from '../src/logging/configure.js';
import { resolveMetricsSettings } from '../src/metrics/configure.js';
import { resolveTracingSettings } from '../src/tracing/configure.js';

describe('precedence: options > environment > default', () => {
  it('resolves the service identity and endpoint', () => {
    const env = {
      VIGIL_SERVICE: 'from-env',
      OTEL_SERVICE_NAME: 'otel',
      VIGIL_ENDPOINT: 'http://env:1/',
      VIGIL_TOKEN: 't',
      VIGIL_ENVIRONMENT: 'prod',
      VIGIL_VERSION: '1.2.3',
    };
    expect(resolveResource({}, {})).toEqual({ serviceName: 'unknown_service', endpoint: 'http://127.0.0.1:4318' });
    expect(resolveResource({}, { OTEL_SERVICE_NAME: 'otel' }).serviceName).toBe('otel');
    expect(resolveResource({}, env)).toEqual({
      serviceName: 'from-env',
      endpoint: 'http://env:1',
      token: 't',
      environment: 'prod',
      version: '1.2.3',
    });
    expect(resolveResource({ serviceName: 'opt', endpoint: 'http://opt:2', token: 'o' }, env)).toMatchObject({
      serviceName: 'opt',
      endpoint: 'http://opt:2',
      token: 'o',
    });
  });

  it('resolves metrics settings', () => {
    expect(resolveMetricsSettings({}, {})).toMatchObject({
      backend: 'vigil',
      prefix: '',
      defaultTags: {},
      enabled: true,
    });
    const env = {
      VIGIL_METRICS_BACKEND: 'statsd',
      VIGIL_METRICS_PREFIX: 'envp',
      VIGIL_METRICS_TAGS: 'region=eu,team=core',
      VIGIL_METRICS_ENABLED: 'false',
    };
    expect(resolveMetricsSettings({}, env)).toMatchObject({
      backend: 'statsd',
      prefix: 'envp',
      defaultTags: { region: 'eu', team: 'core' },
      enabled: false,
    });
    expect(
      resolveMetricsSettings(
        { backend: 'prometheus', prefix: 'shop', defaultTags: { environment: 'production' }, enabled: true },
        env,
      ),
    ).toMatchObject({
      backend: 'prometheus',
      prefix: 'shop',
      defaultTags: { environment: 'production' },
      enabled: true,
    });
  });

  it('falls back to the default, without throwing, on invalid values', () => {
    expect(resolveMetricsSettings({ backend: 'graphite' as never }, { VIGIL_METRICS_BACKEND: 'nope' }).backend).toBe(
      'vigil',
    );
    expect(resolveTracingSettings({ sampleRate: 7 }, { VIGIL_TRACE_SAMPLE_RATE: 'abc' }).sampleRate).toBe(1);
    expect(resolveTracingSettings({ sampleRate: 7 }, { VIGIL_TRACE_SAMPLE_RATE: '0.25' }).sampleRate).toBe(0.25);
    expect(resolveLoggingSettings({ level: 'loud' as never }, {}).level).toBe('info');
  });

  it('resolves tracing settings, including the OTel variables', () => {
    expect(resolveTracingSettings({}, {})).toMatchObject({
      sampleRate: 1,
      exporter: 'vigil',
      otlpUrl: 'http://127.0.0.1:4318/v1/traces',
    });
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_TRACES_SAMPLER_ARG: '0.5',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc',
    };
    expect(resolveTracingSettings({}, env)).toMatchObject({
      sampleRate: 0.5,
      exporter: 'otlp',
      otlpUrl: 'http://collector:4318/v1/traces',
      otlpHeaders: { 'x-api-key': 'abc' },
    });
    expect(
      resolveTracingSettings({ exporter: 'console', sampleRate: 0.1, otlpEndpoint: 'http://x:1' }, env),
    ).toMatchObject({ sampleRate: 0.1, exporter: 'console', otlpUrl: 'http://x:1/v1/traces' });
    expect(resolveTracingSettings({}, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t:9/custom' }).otlpUrl).toBe(
      'http://t:9/custom',
    );
  });

  it('resolves logging and health settings', () => {
    expect(resolveLoggingSettings({}, {})).toEqual({
      level: 'info',
      json: true,
      console: true,
      file: undefined,
      ship: false,
    });
    expect(
      resolveLoggingSettings(
        {},
        { VIGIL_LOG_LEVEL: 'DEBUG', VIGIL_LOG_JSON: '0', VIGIL_LOG_FILE: 'x.log', VIGIL_LOG_SHIP: 'yes' },
      ),
    ).toEqual({
      level: 'debug',
      json: false,
      console: true,
      file: 'x.log',
      ship: true,
    });
    expect(resolveLoggingSettings({ level: 'error', json: true }, { VIGIL_LOG_LEVEL: 'debug' })).toMatchObject({
      level: 'error',
      json: true,
    });
    expect(resolveHealthSettings({}, {})).toEqual({ includeDependencies: false, cacheTtl: 10 });
    expect(
      resolveHealthSettings({}, { VIGIL_HEALTH_CACHE_TTL: '30', VIGIL_HEALTH_INCLUDE_DEPENDENCIES: 'true' }),
    ).toEqual({ includeDependencies: true, cacheTtl: 30 });
    expect(
      resolveHealthSettings({ cacheTtl: 60, includeDependencies: false }, { VIGIL_HEALTH_CACHE_TTL: '30' }),
    ).toEqual({ includeDependencies: false, cacheTtl: 60 });
  });
});
