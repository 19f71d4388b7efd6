import type { Metrics } from '@aws-lambda-powertools/metrics';
import type middy from '@middy/core';

/**
 * Publishes the invocation's EMF metrics when there are any. Powertools' own `logMetrics` warns on every
 * invocation that records none (most successful requests here), which buries real warnings.
 */
export function publishMetrics(metrics: Metrics): middy.MiddlewareObj {
  const flush = async () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return { after: flush, onError: flush };
}
