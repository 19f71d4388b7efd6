import * as v from 'valibot';
import type { Violation } from '../errors.js';
import { parseStat } from '../telemetry/metric-query.js';
import { DURATION_MESSAGE, parseDuration } from './duration.js';
import { MatcherSchema } from './matchers.js';
import { NO_DATA_POLICIES, SEVERITIES } from './model.js';
import { OPERATORS } from './rule-model.js';
import { templateProblem } from './template.js';

/**
 * The shape of a rule as people write it (`PUT /v1/rules/{id}` and the `rules` of vigil.config.json).
 * This file checks shape and formats; rule-build.ts fills defaults and the cross-field rules. Unknown
 * fields are refused (a typo such as `keepFiringFro` must not pass silently).
 */
export const objectMessage = (i: v.StrictObjectIssue | v.ObjectIssue): string =>
  i.expected === 'never' ? 'unknown field' : i.input === undefined ? 'required' : 'must be an object';

export const RULE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const RuleIdSchema = v.pipe(
  v.string('must be a string'),
  v.regex(RULE_ID_PATTERN, 'must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit'),
);

const text = (max: number) =>
  v.pipe(
    v.string('must be a string'),
    v.minLength(1, 'must not be empty'),
    v.maxLength(max, `must be at most ${max} characters`),
  );

const duration = (options: { positive: boolean }) =>
  v.pipe(
    v.string(DURATION_MESSAGE),
    v.check((s) => parseDuration(s) !== undefined, DURATION_MESSAGE),
    v.check((s) => !options.positive || parseDuration(s) !== 0, 'must be longer than 0'),
  );
export const Window = duration({ positive: true });
export const Span = duration({ positive: false });

const finite = v.pipe(v.number('must be a number'), v.finite('must be a finite number'));
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;
const labelName = v.pipe(
  v.string('must be a string'),
  v.regex(LABEL_NAME, 'must be a label name (letters, digits, "_", ".")'),
);
const labelMap = v.pipe(
  v.record(labelName, v.pipe(v.string('must be a string'), v.maxLength(1_024, 'must be at most 1024 characters'))),
  v.check((m) => Object.keys(m).length <= 30, 'must have at most 30 entries'),
);
const groupList = v.pipe(
  v.array(labelName, 'must be a list of label names'),
  v.maxLength(10, 'must list at most 10 labels'),
  v.check((a) => new Set(a).size === a.length, 'must not list a label twice'),
);
const template = v.pipe(
  v.string('must be a string'),
  v.maxLength(4_096, 'must be at most 4096 characters'),
  v.check(
    (t) => templateProblem(t) === undefined,
    (i) => templateProblem(String(i.input)) ?? 'does not parse',
  ),
);

const VigilMetricSchema = v.strictObject(
  {
    source: v.optional(v.literal('vigil', 'must be "vigil" or "cloudwatch"')),
    service: v.optional(text(128)),
    name: text(256),
    stat: v.optional(
      v.pipe(
        v.string('must be a string'),
        v.check(
          (s) => parseStat(s) !== undefined,
          'must be count, sum, avg, min, max, rate or a percentile such as p95',
        ),
      ),
    ),
    tags: v.optional(labelMap),
    match: v.optional(
      v.pipe(v.array(MatcherSchema, 'must be a list of matchers'), v.maxLength(20, 'must list at most 20 matchers')),
    ),
    groupBy: v.optional(groupList),
  },
  objectMessage,
);

const CLOUDWATCH_STAT =
  /^(SampleCount|Average|Sum|Minimum|Maximum|IQM|p(\d{1,2}(\.\d+)?|100)|(tm|wm|tc|ts)\d{1,2}(\.\d+)?)$/;
const CloudWatchMetricSchema = v.strictObject(
  {
    source: v.literal('cloudwatch'),
    namespace: v.pipe(text(255), v.regex(/^[^:][^:]*$/, 'must not contain ":"')),
    metricName: text(255),
    dimensions: v.optional(
      v.pipe(
        v.record(text(255), text(1_024)),
        v.check((d) => Object.keys(d).length <= 30, 'must have at most 30 dimensions'),
      ),
    ),
    stat: v.optional(
      v.pipe(
        v.string('must be a string'),
        v.regex(CLOUDWATCH_STAT, 'must be a CloudWatch statistic: SampleCount, Average, Sum, Minimum, Maximum or pNN'),
      ),
    ),
  },
  objectMessage,
);

const metricSchema = v.variant('source', [CloudWatchMetricSchema, VigilMetricSchema], 'must be an object');
// valibot's variant wants the key present; an absent `source` means Vigil.
export const MetricSchema = v.pipe(
  v.unknown(),
  v.transform((m) => (m && typeof m === 'object' && !('source' in m) ? { ...m, source: 'vigil' } : m)),
  metricSchema,
);
const AbsenceMetricSchema = v.pipe(
  v.unknown(),
  v.transform((m) => (m && typeof m === 'object' && !('source' in m) ? { ...m, source: 'vigil' } : m)),
  v.variant(
    'source',
    [
      CloudWatchMetricSchema,
      v.strictObject({ ...VigilMetricSchema.entries, name: v.optional(text(256)) }, objectMessage),
    ],
    'must be an object',
  ),
);

const op = v.picklist(OPERATORS, `must be one of: ${OPERATORS.join(' ')}`);

export const COMMON_ENTRIES = {
  id: v.optional(RuleIdSchema),
  severity: v.optional(v.picklist(SEVERITIES, `must be one of: ${SEVERITIES.join(', ')}`)),
  service: v.optional(text(128)),
  labels: v.optional(labelMap),
  annotations: v.optional(
    v.strictObject(
      { summary: v.optional(template), description: v.optional(template), runbook: v.optional(template) },
      objectMessage,
    ),
  ),
  for: v.optional(Span),
  keepFiringFor: v.optional(Span),
  noData: v.optional(v.picklist(NO_DATA_POLICIES, `must be one of: ${NO_DATA_POLICIES.join(', ')}`)),
  duringDeploy: v.optional(v.picklist(['hold', 'notify'], 'must be "hold" or "notify"')),
  groupBy: v.optional(groupList),
  groupWait: v.optional(Span),
  groupInterval: v.optional(Window),
  repeatInterval: v.optional(Window),
  throttlePeriod: v.optional(Span),
  escalation: v.optional(
    v.pipe(
      v.array(
        v.strictObject(
          {
            after: Window,
            topic: v.pipe(text(64), v.regex(/^[a-z][a-z0-9-]*$/, 'must be a topic name such as "escalation"')),
          },
          objectMessage,
        ),
        'must be a list',
      ),
      v.maxLength(10, 'must list at most 10 steps'),
    ),
  ),
  dependsOn: v.optional(
    v.pipe(
      v.array(RuleIdSchema, 'must be a list of target ids'),
      v.maxLength(20, 'must list at most 20 targets'),
      v.check((a) => new Set(a).size === a.length, 'must not list a target twice'),
    ),
  ),
  flapping: v.optional(
    v.strictObject(
      {
        maxChanges: v.pipe(
          finite,
          v.integer('must be a whole number'),
          v.minValue(2, 'must be at least 2'),
          v.maxValue(100, 'must be at most 100'),
        ),
        window: Window,
      },
      objectMessage,
    ),
  ),
} as const;

const burnWindow = v.strictObject(
  {
    long: Window,
    short: Window,
    burnRate: v.pipe(finite, v.gtValue(0, 'must be more than 0')),
    action: v.optional(v.picklist(['page', 'ticket'], 'must be "page" or "ticket"')),
    severity: v.optional(v.picklist(SEVERITIES, `must be one of: ${SEVERITIES.join(', ')}`)),
  },
  objectMessage,
);

export const RawRuleSchema = v.variant(
  'type',
  [
    v.strictObject(
      { ...COMMON_ENTRIES, type: v.literal('threshold'), metric: MetricSchema, op, value: finite, window: Window },
      objectMessage,
    ),
    v.strictObject(
      { ...COMMON_ENTRIES, type: v.literal('absence'), metric: AbsenceMetricSchema, window: Window },
      objectMessage,
    ),
    v.strictObject(
      {
        ...COMMON_ENTRIES,
        type: v.literal('health'),
        target: v.optional(RuleIdSchema),
        statuses: v.optional(
          v.pipe(
            v.array(v.picklist(['down', 'degraded'], 'must be "down" or "degraded"'), 'must be a list'),
            v.minLength(1, 'must list at least one status'),
          ),
        ),
      },
      objectMessage,
    ),
    v.strictObject(
      {
        ...COMMON_ENTRIES,
        type: v.literal('error_rate'),
        errors: v.optional(MetricSchema),
        total: v.optional(MetricSchema),
        op: v.optional(op),
        value: v.pipe(
          finite,
          v.minValue(0, 'must be a ratio from 0 to 1'),
          v.maxValue(1, 'must be a ratio from 0 to 1 (0.05 is 5%)'),
        ),
        window: Window,
        minRequests: v.optional(
          v.pipe(finite, v.integer('must be a whole number'), v.minValue(0, 'must be at least 0')),
        ),
      },
      objectMessage,
    ),
    v.strictObject(
      {
        ...COMMON_ENTRIES,
        type: v.literal('anomaly'),
        metric: MetricSchema,
        window: Window,
        sensitivity: v.optional(
          v.pipe(finite, v.minValue(0.5, 'must be at least 0.5'), v.maxValue(20, 'must be at most 20')),
        ),
        direction: v.optional(v.picklist(['above', 'below', 'both'], 'must be "above", "below" or "both"')),
        training: v.optional(Window),
      },
      objectMessage,
    ),
    v.strictObject(
      {
        ...COMMON_ENTRIES,
        type: v.literal('burn_rate'),
        objective: v.pipe(
          finite,
          v.gtValue(0, 'must be a percentage above 0'),
          v.ltValue(100, 'must be a percentage below 100, such as 99.9'),
        ),
        period: v.optional(Window),
        good: v.optional(MetricSchema),
        total: MetricSchema,
        latencyThreshold: v.optional(v.pipe(finite, v.gtValue(0, 'must be more than 0'))),
        windows: v.optional(
          v.pipe(
            v.array(burnWindow, 'must be a list'),
            v.minLength(1, 'must list at least one window pair'),
            v.maxLength(10, 'must list at most 10 window pairs'),
          ),
        ),
      },
      objectMessage,
    ),
  ],
  (i) =>
    i.expected === 'Object'
      ? 'must be an object'
      : 'type: must be one of threshold, absence, health, error_rate, anomaly, burn_rate',
);

export type RawRule = v.InferOutput<typeof RawRuleSchema>;

/** valibot issues → `{path, message}` with a `type` path when the type itself is wrong. */
export function shapeViolations(issues: readonly v.BaseIssue<unknown>[]): Violation[] {
  return issues.map((issue) => {
    let path = '';
    for (const item of issue.path ?? []) {
      const key = (item as { key: unknown }).key;
      path += typeof key === 'number' ? `[${key}]` : path ? `.${String(key)}` : String(key);
    }
    if (issue.message.startsWith('type: ')) return { path: 'type', message: issue.message.slice(6) };
    return { path, message: issue.message };
  });
}
