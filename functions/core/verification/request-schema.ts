import * as v from 'valibot';
import { fetchedUrlSchema } from '../fetched-url-schema.js';
import { SERVICE_PATTERN } from '../telemetry/limits.js';

/**
 * `POST /v1/verifications` (issue #13): every field, its default and its range. Unknown fields are refused
 * (a typo such as `consecutivePass` must not pass silently) and every violation names its field path.
 * The smallest interval depends on the deployment (`VIGIL_VERIFY_MIN_INTERVAL_SECONDS`), hence a factory.
 */
export const VERIFY_LIMITS = {
  /** A verification never runs longer than this (API Gateway's 30 s is why it runs asynchronously). */
  maxDurationSeconds: 3_600,
  /** The longest single wait between two steps (SQS's largest message delay). */
  maxIntervalSeconds: 900,
  /** Looks of one canary, extensions included: the spending boundaries' cost grows with it. */
  maxLooks: 60,
  maxCanaryMetrics: 20,
  maxRequiredMetrics: 20,
  maxConsecutivePasses: 20,
} as const;

export const VERDICTS = ['pass', 'marginal', 'fail', 'inconclusive'] as const;
export type VerdictName = (typeof VERDICTS)[number];

const objectMessage = (i: v.StrictObjectIssue): string =>
  i.expected === 'never' ? 'unknown field' : 'must be an object';

const int = (min: number, max: number) =>
  v.pipe(
    v.number('must be a number'),
    v.integer('must be a whole number'),
    v.minValue(min, `must be at least ${min}`),
    v.maxValue(max, `must be at most ${max}`),
  );

const num = (min: number, max: number) =>
  v.pipe(
    v.number('must be a number'),
    v.finite('must be a finite number'),
    v.minValue(min, `must be at least ${min}`),
    v.maxValue(max, `must be at most ${max}`),
  );

const text = (max: number) =>
  v.pipe(
    v.string('must be a string'),
    v.minLength(1, 'must not be empty'),
    v.maxLength(max, `must be at most ${max} characters`),
  );

const MetricName = v.pipe(
  text(200),
  v.regex(/^[A-Za-z_][A-Za-z0-9_.:/-]*$/, 'must be a metric name (letters, digits and _ . : / -)'),
);

const HttpUrl = fetchedUrlSchema();

const Dimensions = v.pipe(
  v.record(text(255), text(1_024), 'must be an object of dimension names to values'),
  v.check((d) => Object.keys(d).length <= 30, 'must have at most 30 dimensions'),
);

/** A CloudWatch metric, read with GetMetricData (Lambda aliases, ALB target groups: no SDK needed). */
const CloudWatchFields = {
  source: v.literal('cloudwatch', 'must be "cloudwatch" or absent (Vigil rollups)'),
  namespace: text(255),
  metricName: text(255),
  dimensions: v.optional(Dimensions, {}),
  stat: v.optional(
    v.pipe(
      text(50),
      v.regex(
        /^(Average|Sum|Minimum|Maximum|SampleCount|p\d{1,2}(\.\d{1,2})?)$/,
        'must be Average, Sum, Minimum, Maximum, SampleCount or a percentile such as p95',
      ),
    ),
    'Average',
  ),
  /** @default 60 */
  periodSeconds: v.optional(
    v.pipe(
      int(60, 3_600),
      v.check((n) => n % 60 === 0, 'must be a multiple of 60'),
    ),
    60,
  ),
};

export const CloudWatchMetricSchema = v.strictObject(CloudWatchFields, objectMessage);
export type CloudWatchMetric = v.InferOutput<typeof CloudWatchMetricSchema>;

/** A metric of Vigil's rollups by name, or a CloudWatch metric. */
const MetricRef = v.union([MetricName, CloudWatchMetricSchema], 'must be a metric name or a CloudWatch metric object');
export type MetricRef = v.InferOutput<typeof MetricRef>;

export const metricLabel = (m: MetricRef): string =>
  typeof m === 'string' ? m : `${m.namespace}/${m.metricName}${m.stat ? ` ${m.stat}` : ''}`;

const HealthSchema = v.strictObject(
  {
    path: v.optional(v.pipe(text(1_024), v.startsWith('/', 'must start with /')), '/health'),
    consecutivePasses: v.optional(int(1, VERIFY_LIMITS.maxConsecutivePasses), 3),
    timeoutSeconds: v.optional(int(1, VERIFY_LIMITS.maxDurationSeconds), 120),
    /** Between two probes (at least the minimum interval). @default 5 */
    intervalSeconds: v.optional(int(1, 300), 5),
    /** Per probe. @default 5000 */
    requestTimeoutMs: v.optional(int(100, 30_000), 5_000),
  },
  objectMessage,
);

const MetricsSchema = v.strictObject(
  {
    required: v.pipe(
      v.array(MetricRef, 'must be a list of metrics'),
      v.minLength(1, 'must name at least one metric'),
      v.maxLength(VERIFY_LIMITS.maxRequiredMetrics, `must name at most ${VERIFY_LIMITS.maxRequiredMetrics} metrics`),
    ),
    withinSeconds: v.optional(int(10, VERIFY_LIMITS.maxDurationSeconds), 300),
  },
  objectMessage,
);

const PerformanceSchema = v.strictObject(
  {
    metric: v.optional(MetricRef, 'http.server.duration'),
    maxP95Ms: v.optional(num(0, 3_600_000)),
    maxP99Ms: v.optional(num(0, 3_600_000)),
    maxRegressionPct: v.optional(num(0, 10_000)),
    maxErrorRate: v.optional(num(0, 1)),
    windowSeconds: v.optional(int(10, VERIFY_LIMITS.maxDurationSeconds), 300),
  },
  objectMessage,
);

const CanaryMetricSchema = v.strictObject(
  {
    name: MetricName,
    kind: v.optional(v.picklist(['continuous', 'count'], 'must be "continuous" or "count"'), 'continuous'),
    direction: v.optional(
      v.picklist(['increase', 'decrease', 'either'], 'must be "increase", "decrease" or "either"'),
      'increase',
    ),
    allowedIncreasePct: v.optional(num(0, 10_000)),
    allowedIncreaseAbs: v.optional(num(0, Number.MAX_SAFE_INTEGER)),
    critical: v.optional(v.boolean('must be true or false'), false),
    /** Count metrics: the metric whose count is the exposure (requests). @default the first continuous metric */
    exposure: v.optional(MetricName),
    /** CloudWatch instead of Vigil's rollups: canary = `dimensions`, baseline = `baselineDimensions`. */
    source: v.optional(v.literal('cloudwatch', 'must be "cloudwatch" or absent (Vigil rollups)')),
    namespace: v.optional(text(255)),
    metricName: v.optional(text(255)),
    dimensions: v.optional(Dimensions),
    baselineDimensions: v.optional(Dimensions),
    stat: v.optional(CloudWatchFields.stat),
  },
  objectMessage,
);

function canaryMetricProblems(m: v.InferOutput<typeof CanaryMetricSchema>): string | undefined {
  if (m.source !== 'cloudwatch') {
    if (m.namespace || m.metricName || m.dimensions || m.baselineDimensions) {
      return 'namespace, metricName and dimensions need "source": "cloudwatch"';
    }
    return undefined;
  }
  if (!m.namespace || !m.metricName) return 'a CloudWatch metric needs namespace and metricName';
  if (!m.baselineDimensions)
    return 'a CloudWatch canary metric needs baselineDimensions (the baseline) beside dimensions (the canary)';
  if (m.kind === 'count') return 'CloudWatch canary metrics are continuous (one value per period)';
  return undefined;
}

const CanarySchema = (minInterval: number) =>
  v.pipe(
    v.strictObject(
      {
        baselineVersion: text(128),
        metrics: v.pipe(
          v.array(
            v.pipe(
              CanaryMetricSchema,
              v.check(
                (m) => canaryMetricProblems(m) === undefined,
                (i) => canaryMetricProblems(i.input as never) ?? 'invalid',
              ),
            ),
            'must be a list of metrics',
          ),
          v.minLength(1, 'must list at least one metric'),
          v.maxLength(VERIFY_LIMITS.maxCanaryMetrics, `must list at most ${VERIFY_LIMITS.maxCanaryMetrics} metrics`),
        ),
        intervalSeconds: v.optional(int(minInterval, VERIFY_LIMITS.maxIntervalSeconds), Math.max(60, minInterval)),
        durationSeconds: v.optional(int(minInterval, VERIFY_LIMITS.maxDurationSeconds), 600),
        maxDurationSeconds: v.optional(int(minInterval, VERIFY_LIMITS.maxDurationSeconds)),
        passScore: v.optional(num(0, 100), 95),
        marginalScore: v.optional(num(0, 100), 75),
        alpha: v.optional(num(0.0001, 0.5), 0.05),
      },
      objectMessage,
    ),
    v.transform((c) => ({ ...c, maxDurationSeconds: c.maxDurationSeconds ?? c.durationSeconds })),
    v.forward(
      v.check((c) => c.durationSeconds >= c.intervalSeconds, 'must be at least intervalSeconds'),
      ['durationSeconds'],
    ),
    v.forward(
      v.check((c) => c.maxDurationSeconds >= c.durationSeconds, 'must be at least durationSeconds'),
      ['maxDurationSeconds'],
    ),
    v.forward(
      v.check(
        (c) => c.maxDurationSeconds / c.intervalSeconds <= VERIFY_LIMITS.maxLooks,
        `allows at most ${VERIFY_LIMITS.maxLooks} looks (maxDurationSeconds / intervalSeconds)`,
      ),
      ['maxDurationSeconds'],
    ),
    v.forward(
      v.check((c) => c.marginalScore <= c.passScore, 'must not be above passScore'),
      ['marginalScore'],
    ),
  );

const WindowSeconds = v.optional(int(0, VERIFY_LIMITS.maxDurationSeconds));

const ChecksSchema = (minInterval: number) =>
  v.pipe(
    v.strictObject(
      {
        health: v.optional(HealthSchema),
        metrics: v.optional(MetricsSchema),
        performance: v.optional(PerformanceSchema),
        canary: v.optional(CanarySchema(minInterval)),
        errorBudget: v.optional(v.strictObject({ slo: text(128), windowSeconds: WindowSeconds }, objectMessage)),
        newErrors: v.optional(
          v.strictObject(
            { critical: v.optional(v.boolean('must be true or false'), false), windowSeconds: WindowSeconds },
            objectMessage,
          ),
        ),
      },
      objectMessage,
    ),
    v.check((c) => Object.values(c).some((x) => x !== undefined), 'must ask for at least one check'),
  );

export const verificationRequestSchema = (minIntervalSeconds: number) =>
  v.pipe(
    v.strictObject(
      {
        service: v.pipe(
          text(128),
          v.regex(SERVICE_PATTERN, 'must use letters, digits and _ . : - (not starting with . : -)'),
        ),
        environment: v.optional(text(128), 'default'),
        version: text(128),
        deployUrl: v.optional(HttpUrl),
        checks: ChecksSchema(minIntervalSeconds),
        rollback: v.optional(
          v.strictObject(
            {
              webhook: v.optional(HttpUrl),
              onVerdict: v.optional(
                v.pipe(
                  v.array(v.picklist(VERDICTS, `must be one of ${VERDICTS.join(', ')}`), 'must be a list of verdicts'),
                  v.maxLength(4, 'must list at most 4 verdicts'),
                ),
                ['fail'],
              ),
            },
            objectMessage,
          ),
          { onVerdict: ['fail'] },
        ),
      },
      objectMessage,
    ),
    v.forward(
      v.check((r) => !r.checks.health || r.deployUrl !== undefined, 'is required by the health check'),
      ['deployUrl'],
    ),
    v.forward(
      v.check(
        (r) => !r.checks.canary || r.checks.canary.baselineVersion !== r.version,
        'baselineVersion must differ from version',
      ),
      ['checks', 'canary'],
    ),
  );

export type VerificationRequest = v.InferOutput<ReturnType<typeof verificationRequestSchema>>;
export type HealthCheckSpec = NonNullable<VerificationRequest['checks']['health']>;
export type MetricsCheckSpec = NonNullable<VerificationRequest['checks']['metrics']>;
export type PerformanceCheckSpec = NonNullable<VerificationRequest['checks']['performance']>;
export type CanaryCheckSpec = NonNullable<VerificationRequest['checks']['canary']>;
export type CanaryMetricRequest = CanaryCheckSpec['metrics'][number];
