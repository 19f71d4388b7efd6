import * as v from 'valibot';
import type { IngestLimits } from '../core/telemetry/limits.js';
import { type Env, intSetting, readConfig } from '../platform/config.js';

/**
 * Ingest settings (environment, read once at cold start). The rollup step is shared with the query
 * function, which reads it through `telemetryReadSettings`.
 */
const divides3600 = (n: number) => 3_600 % n === 0;

export const stepSetting = v.pipe(
  intSetting(60, 10, 3_600),
  v.check(divides3600, 'must divide an hour evenly (10, 15, 20, 30, 60, 120, 300, …)'),
);

const ingestSchema = v.object({
  VIGIL_ROLLUP_STEP_SECONDS: stepSetting,
  VIGIL_RETENTION_METRICS_DAYS: intSetting(30, 1, 3_650),
  VIGIL_RETENTION_LOGS_DAYS: intSetting(7, 1, 3_650),
  VIGIL_RETENTION_SPANS_DAYS: intSetting(7, 1, 3_650),
  VIGIL_RETENTION_ERRORS_DAYS: intSetting(30, 1, 3_650),
  VIGIL_MAX_SERIES_PER_SERVICE: intSetting(2_000, 1, 1_000_000),
  VIGIL_INGEST_MAX_BODY_BYTES: intSetting(4_194_304, 1_024, 6_291_456),
  VIGIL_INGEST_MAX_ITEMS: intSetting(10_000, 1, 100_000),
  VIGIL_INGEST_MAX_AGE_HOURS: intSetting(24, 1, 24 * 30),
  VIGIL_INGEST_MAX_FUTURE_MINUTES: intSetting(10, 0, 1_440),
  VIGIL_IDEMPOTENCY_TTL_SECONDS: intSetting(3_600, 60, 7 * 86_400),
});

export type IngestConfig = v.InferOutput<typeof ingestSchema>;

export function ingestConfig(env: Env = process.env): IngestConfig {
  return readConfig(ingestSchema, env);
}

export function limitsOf(config: IngestConfig): IngestLimits {
  return {
    maxBatchItems: config.VIGIL_INGEST_MAX_ITEMS,
    maxAgeMs: config.VIGIL_INGEST_MAX_AGE_HOURS * 3_600_000,
    maxFutureMs: config.VIGIL_INGEST_MAX_FUTURE_MINUTES * 60_000,
    maxSeriesPerService: config.VIGIL_MAX_SERIES_PER_SERVICE,
    stepSeconds: config.VIGIL_ROLLUP_STEP_SECONDS,
  };
}
