import * as v from 'valibot';
import {
  FIXED_LIMITS as L,
  METRIC_NAME_PATTERN,
  SERVICE_PATTERN,
  SPAN_ID_PATTERN,
  TAG_KEY_PATTERN,
  TRACE_ID_PATTERN,
} from './limits.js';
import { LOG_LEVELS, SPAN_KINDS, SPAN_STATUSES } from './model.js';
import { MAX_EPOCH_MS, MIN_EPOCH_MS, parseIso } from './time.js';

/**
 * Valibot schemas for one item of each kind in Vigil's native batch. Items are validated one by one so
 * that a bad item is reported with its path and the good ones are still kept. Unknown fields are dropped.
 */
const finite = (what = 'a number') =>
  v.pipe(v.number(`must be ${what}`), v.finite('must be finite (NaN and Infinity are not numbers here)'));

const boundedString = (max: number, min = 0) =>
  v.pipe(
    v.string('must be a string'),
    v.minLength(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`),
    v.maxLength(max, `must be at most ${max} characters`),
  );

/** Epoch ms (years 2000–2100) or ISO 8601; absent means "now" (filled in by the caller, who owns the clock). */
/** Metric values: bounded so every sum stays within DynamoDB's 38 significant digits; dust becomes 0. */
export const MAX_METRIC_MAGNITUDE = 1e15;
const metricValue = v.pipe(
  finite(),
  v.minValue(-MAX_METRIC_MAGNITUDE, `must be at least -${MAX_METRIC_MAGNITUDE}`),
  v.maxValue(MAX_METRIC_MAGNITUDE, `must be at most ${MAX_METRIC_MAGNITUDE}`),
  v.transform((x) => (Math.abs(x) < 1e-9 ? 0 : x)),
);

export const TimestampSchema = v.optional(
  v.union(
    [
      v.pipe(
        finite(),
        v.minValue(MIN_EPOCH_MS, 'must be epoch milliseconds (this looks like seconds or is before 2000)'),
        v.maxValue(MAX_EPOCH_MS, 'must be epoch milliseconds (this looks like micro- or nanoseconds)'),
        v.transform(Math.floor),
      ),
      v.pipe(
        v.string(),
        v.rawTransform(({ dataset, addIssue, NEVER }) => {
          const ms = parseIso(dataset.value);
          if (ms === undefined) {
            addIssue({ message: 'must be an ISO 8601 date-time' });
            return NEVER;
          }
          return ms;
        }),
      ),
    ],
    'must be epoch milliseconds or an ISO 8601 string',
  ),
);

const scalar = v.union([v.string(), finite(), v.boolean()], 'must be a string, a finite number or a boolean');

const maxKeys = <T extends Record<string, unknown>>(n: number) =>
  v.check<T, string>((o) => Object.keys(o).length <= n, `must have at most ${n} entries`);

export const TagsSchema = v.optional(
  v.pipe(
    v.record(
      v.pipe(
        boundedString(L.tagKeyLength, 1),
        v.regex(TAG_KEY_PATTERN, 'tag keys start with a letter or _ and use letters, digits, _ . - /'),
      ),
      v.pipe(
        scalar,
        v.transform(String),
        v.maxLength(L.tagValueLength, `must be at most ${L.tagValueLength} characters`),
      ),
      'must be an object of tag values',
    ),
    maxKeys<Record<string, string>>(L.tagCount),
  ),
  {},
);

export const AttributesSchema = v.optional(
  v.pipe(
    v.record(
      boundedString(L.attributeKeyLength, 1),
      v.union(
        [
          v.pipe(
            v.string(),
            v.maxLength(L.attributeValueLength, `must be at most ${L.attributeValueLength} characters`),
          ),
          finite(),
          v.boolean(),
        ],
        'must be a string, a finite number or a boolean',
      ),
      'must be an object',
    ),
    maxKeys<Record<string, string | number | boolean>>(L.attributeCount),
  ),
  {},
);

const hex = (pattern: RegExp, length: number) =>
  v.pipe(v.string('must be a string'), v.toLowerCase(), v.regex(pattern, `must be ${length} hex characters`));
export const TraceIdSchema = hex(TRACE_ID_PATTERN, 32);
export const SpanIdSchema = hex(SPAN_ID_PATTERN, 16);

const metricBase = {
  name: v.pipe(
    boundedString(L.metricNameLength, 1),
    v.regex(METRIC_NAME_PATTERN, 'metric names start with a letter or _ and use letters, digits, _ . - / :'),
  ),
  unit: v.optional(boundedString(L.unitLength)),
  tags: TagsSchema,
  timestamp: TimestampSchema,
};

export const MetricSchema = v.variant(
  'type',
  [
    v.object({ ...metricBase, type: v.literal('counter'), value: metricValue }),
    v.object({ ...metricBase, type: v.literal('gauge'), value: metricValue }),
    v.object({
      ...metricBase,
      type: v.literal('histogram'),
      values: v.pipe(
        v.array(metricValue, 'must be an array of numbers'),
        v.minLength(1, 'must hold at least one value'),
        v.maxLength(L.histogramValues, `must hold at most ${L.histogramValues} values`),
      ),
    }),
  ],
  'must be one of: counter, gauge, histogram',
);

export const LogSchema = v.object({
  timestamp: TimestampSchema,
  level: v.optional(
    v.pipe(v.string(), v.toLowerCase(), v.picklist(LOG_LEVELS, `must be one of: ${LOG_LEVELS.join(', ')}`)),
    'info',
  ),
  message: boundedString(L.messageLength),
  attributes: AttributesSchema,
  traceId: v.optional(TraceIdSchema),
  spanId: v.optional(SpanIdSchema),
});

export const SpanSchema = v.pipe(
  v.object({
    traceId: TraceIdSchema,
    spanId: SpanIdSchema,
    parentSpanId: v.optional(SpanIdSchema),
    name: boundedString(L.spanNameLength, 1),
    kind: v.optional(v.picklist(SPAN_KINDS, `must be one of: ${SPAN_KINDS.join(', ')}`), 'internal'),
    startTime: TimestampSchema,
    endTime: TimestampSchema,
    status: v.optional(v.picklist(SPAN_STATUSES, `must be one of: ${SPAN_STATUSES.join(', ')}`), 'unset'),
    statusMessage: v.optional(boundedString(L.messageLength)),
    attributes: AttributesSchema,
  }),
  v.forward(
    v.check(
      (s) => s.startTime === undefined || s.endTime === undefined || s.endTime >= s.startTime,
      'must not be before startTime',
    ),
    ['endTime'],
  ),
);

export const ErrorSchema = v.object({
  type: v.optional(boundedString(L.errorTypeLength, 1), 'Error'),
  message: v.optional(boundedString(L.messageLength), ''),
  stack: v.optional(boundedString(L.stackLength)),
  timestamp: TimestampSchema,
  attributes: AttributesSchema,
  traceId: v.optional(TraceIdSchema),
  spanId: v.optional(SpanIdSchema),
});

export const EnvelopeSchema = v.object({
  service: v.pipe(
    boundedString(L.serviceLength, 1),
    v.regex(SERVICE_PATTERN, 'service names use letters, digits and _ . : - (not starting with . : -)'),
  ),
  environment: v.optional(boundedString(L.tagValueLength, 1), 'default'),
  version: v.optional(boundedString(L.tagValueLength, 1)),
});
