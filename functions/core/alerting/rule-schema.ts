import * as v from 'valibot';
import type { Violation } from '../errors.js';
import { AbsenceMetricSchema, MetricSchema } from './metric-schema.js';
import { NO_DATA_POLICIES, SEVERITIES } from './model.js';
import { OPERATORS } from './rule-model.js';
import {
  finite,
  groupList,
  labelMap,
  objectMessage,
  RuleIdSchema,
  Span,
  template,
  text,
  Window,
} from './schema-parts.js';

export { objectMessage, RULE_ID_PATTERN, RuleIdSchema } from './schema-parts.js';

/**
 * The shape of a rule as people write it (`PUT /v1/rules/{id}` and the `rules` of vigil.config.json).
 * This file checks shape and formats; rule-parse.ts fills defaults and the cross-field rules. Unknown
 * fields are refused (a typo such as `keepFiringFro` must not pass silently).
 */
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
