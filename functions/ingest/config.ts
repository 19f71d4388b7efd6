import type { IngestLimits } from '../core/telemetry/limits.js';
import type { FunctionSettings } from '../platform/config.js';

/** The ingest function's limits, from its settings (declared in functions/catalog/settings.ts). */
export function limitsOf(config: FunctionSettings<'ingest'>): IngestLimits {
  return {
    maxBatchItems: config.ingestMaxItems,
    maxAgeMs: config.ingestMaxAgeHours * 3_600_000,
    maxFutureMs: config.ingestMaxFutureMinutes * 60_000,
    maxSeriesPerService: config.maxSeriesPerService,
    stepSeconds: config.rollupStepSeconds,
    maxResources: config.ingestMaxResources,
    maxServices: config.maxServices,
  };
}
