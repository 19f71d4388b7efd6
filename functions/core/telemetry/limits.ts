/**
 * Every bound the ingest path enforces, in one place so the API document and the validators agree.
 * Settings that operators may change come from the ingest function's config; the rest are fixed.
 */
export const FIXED_LIMITS = {
  serviceLength: 64,
  metricNameLength: 200,
  unitLength: 32,
  tagCount: 20,
  tagKeyLength: 64,
  tagValueLength: 128,
  histogramValues: 1_000,
  attributeCount: 64,
  attributeKeyLength: 128,
  attributeValueLength: 4_096,
  messageLength: 8_192,
  stackLength: 32_768,
  spanNameLength: 256,
  errorTypeLength: 256,
  /** Environments listed per service (each batch names one); a new one past it is refused. */
  environmentsPerService: 32,
  /** Rejections listed in an answer; the counts by kind are always complete. */
  rejectedListed: 100,
} as const;

/** Limits that depend on settings (see `functions/ingest/config.ts`). */
export interface IngestLimits {
  /** Items of all kinds in one batch (each histogram value counts as one). */
  readonly maxBatchItems: number;
  /** How far in the past a timestamp may be (ms). */
  readonly maxAgeMs: number;
  /** How far in the future a timestamp may be (ms): clock skew. */
  readonly maxFutureMs: number;
  /** Distinct metric series per service. */
  readonly maxSeriesPerService: number;
  /** Rollup resolution (seconds). */
  readonly stepSeconds: number;
  /** Resources in one OTLP request (each becomes a batch of its own). */
  readonly maxResources: number;
  /** Distinct services stored. */
  readonly maxServices: number;
}

export const DEFAULT_LIMITS: IngestLimits = {
  maxBatchItems: 10_000,
  maxAgeMs: 24 * 3_600_000,
  maxFutureMs: 10 * 60_000,
  maxSeriesPerService: 2_000,
  stepSeconds: 60,
  maxResources: 100,
  maxServices: 1_000,
};

/** No `#` (the key separator) and nothing that needs escaping in a URL path or query. */
export const SERVICE_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/;
export const METRIC_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_.\-/:]*$/;
export const TAG_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_.\-/]*$/;
export const TRACE_ID_PATTERN = /^[0-9a-f]{32}$/;
export const SPAN_ID_PATTERN = /^[0-9a-f]{16}$/;

/** Tags Vigil sets from the batch on every series; a datapoint cannot override them. */
export const RESERVED_TAGS = ['environment', 'version'] as const;
