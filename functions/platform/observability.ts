import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/** Powertools Logger (JSON), Metrics (EMF, namespace `Vigil`) and Tracer for one function. */
export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
}

export const METRICS_NAMESPACE = 'Vigil';

export function observability(serviceName: string): Observability {
  return {
    logger: new Logger({ serviceName: `vigil-${serviceName}` }),
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: `vigil-${serviceName}` }),
    tracer: new Tracer({ serviceName: `vigil-${serviceName}` }),
  };
}
