import { search } from '@aws-lambda-powertools/jmespath';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/** Powertools Logger (JSON), Metrics (EMF, namespace `Vigil`) and Tracer for one function. */
export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
  /** Log each incoming event (with the `Authorization` header redacted). */
  readonly logEvent: boolean;
}

export const METRICS_NAMESPACE = 'Vigil';

export interface ObservabilitySettings {
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  readonly logEvent: 'true' | 'false';
  readonly metricsDisabled: 'true' | 'false';
}

/**
 * Built from the function's own settings rather than Powertools reading `process.env`, so two local
 * instances in one process can differ. The JMESPath search function lets the logger take the correlation
 * id from the event (`x-request-id`, see http-function.ts).
 */
export function observability(serviceName: string, settings: ObservabilitySettings): Observability {
  const name = `vigil-${serviceName}`;
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: name });
  // Powertools only reads POWERTOOLS_METRICS_DISABLED from process.env; this is the same switch, per instance.
  if (settings.metricsDisabled === 'true') (metrics as unknown as { disabled: boolean }).disabled = true;
  return {
    logger: new Logger({
      serviceName: name,
      logLevel: settings.logLevel,
      correlationIdSearchFn: (expression, data) => search(expression, data as Parameters<typeof search>[1]),
    }),
    metrics,
    tracer: new Tracer({ serviceName: name }),
    logEvent: settings.logEvent === 'true',
  };
}
