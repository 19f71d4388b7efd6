import * as v from 'valibot';
import type { Violation } from '../errors.js';
import { parseStat } from '../telemetry/metric-query.js';
import { parseDuration } from './duration.js';
import type { Annotations } from './model.js';
import type { BurnWindow, MetricRef, Rule, VigilMetric } from './rule-model.js';
import { type RawRule, RawRuleSchema, RuleIdSchema, shapeViolations } from './rule-schema.js';

/** Every default of a rule, in one place (docs/ALERTING.md lists them). */
export const RULE_DEFAULTS = {
  severity: 'warning',
  for: '0s',
  keepFiringFor: '0s',
  noData: 'nodata',
  duringDeploy: 'hold',
  groupBy: ['service'],
  groupWait: '30s',
  groupInterval: '5m',
  repeatInterval: '4h',
  throttlePeriod: '5m',
  flapping: { maxChanges: 6, window: '30m' },
  vigilStat: 'avg',
  cloudwatchStat: 'Average',
  healthStatuses: ['down'],
  errorRate: {
    op: '>',
    minRequests: 20,
    total: { name: 'http.server.requests', tags: {} },
    errors: { name: 'http.server.requests', tags: { status_class: '5xx' } },
  },
  anomaly: { sensitivity: 3, direction: 'both', training: '14d', minSlotPoints: 3 },
  burnRate: { period: '30d' },
} as const;

/** The Google SRE workbook's multi-window, multi-burn-rate alerts (chapter 5, table 5-8). */
export const SRE_WORKBOOK_WINDOWS: readonly BurnWindow[] = [
  { longMs: 3_600_000, shortMs: 300_000, burnRate: 14.4, severity: 'critical', action: 'page' },
  { longMs: 21_600_000, shortMs: 1_800_000, burnRate: 6, severity: 'critical', action: 'page' },
  { longMs: 259_200_000, shortMs: 21_600_000, burnRate: 1, severity: 'warning', action: 'ticket' },
];

export type ParseResult = { ok: true; rule: Rule } | { ok: false; issues: Violation[] };

const ms = (d: string | undefined, fallback: string): number => parseDuration(d ?? fallback) ?? 0;

type RawMetric = Exclude<Extract<RawRule, { type: 'threshold' }>['metric'], undefined>;

function metricOf(
  raw: { source?: string } & Record<string, unknown>,
  service: string | undefined,
  defaultStat: { vigil: string; cloudwatch: string },
  path: string,
  issues: Violation[],
): MetricRef {
  if (raw.source === 'cloudwatch') {
    const cw = raw as Extract<RawMetric, { source: 'cloudwatch' }>;
    return {
      source: 'cloudwatch',
      namespace: cw.namespace,
      metricName: cw.metricName,
      dimensions: cw.dimensions ?? {},
      stat: cw.stat ?? defaultStat.cloudwatch,
    };
  }
  const m = raw as Exclude<RawMetric, { source: 'cloudwatch' }>;
  const metricService = m.service ?? service;
  if (!metricService) issues.push({ path: `${path}.service`, message: 'required (or give the rule a service)' });
  const out: VigilMetric = {
    source: 'vigil',
    service: metricService ?? '',
    name: m.name,
    stat: m.stat ?? defaultStat.vigil,
    tags: m.tags ?? {},
    match: m.match ?? [],
    groupBy: m.groupBy ?? [],
  };
  if (!parseStat(out.stat)) issues.push({ path: `${path}.stat`, message: 'is not a statistic' });
  return out;
}

const serviceOfMetric = (m: unknown): string | undefined =>
  m && typeof m === 'object' && 'service' in m && typeof m.service === 'string' ? m.service : undefined;

/**
 * Validates a rule as written (JSON of the API or of vigil.config.json) and returns it complete, or every
 * violation with its field path. `id` is the path's id on the API; a config entry carries its own `id`.
 */
export function parseRule(json: unknown, origin: 'api' | 'config', id?: string): ParseResult {
  const shaped = v.safeParse(RawRuleSchema, json);
  if (!shaped.success) return { ok: false, issues: shapeViolations(shaped.issues) };
  const raw = shaped.output;
  const issues: Violation[] = [];
  if (id !== undefined && !v.is(RuleIdSchema, id))
    issues.push({ path: 'id', message: 'must be 1-128 letters, digits, ".", "_" or "-"' });
  if (id !== undefined && raw.id !== undefined && raw.id !== id)
    issues.push({ path: 'id', message: `must match the id in the path (${id})` });
  const ruleId = id ?? raw.id;
  if (ruleId === undefined) issues.push({ path: 'id', message: 'required' });

  const metricLike = 'metric' in raw ? raw.metric : 'total' in raw ? raw.total : undefined;
  const service = raw.service ?? serviceOfMetric(metricLike);
  const stats = { vigil: RULE_DEFAULTS.vigilStat, cloudwatch: RULE_DEFAULTS.cloudwatchStat };
  const sums = { vigil: 'sum', cloudwatch: 'Sum' };

  const common = {
    id: ruleId ?? '',
    severity: raw.severity ?? RULE_DEFAULTS.severity,
    service: service ?? '',
    labels: raw.labels ?? {},
    annotations: (raw.annotations ?? {}) as Annotations,
    forMs: ms(raw.for, RULE_DEFAULTS.for),
    keepFiringForMs: ms(raw.keepFiringFor, RULE_DEFAULTS.keepFiringFor),
    noData: raw.noData ?? RULE_DEFAULTS.noData,
    duringDeploy: raw.duringDeploy ?? RULE_DEFAULTS.duringDeploy,
    groupBy: raw.groupBy ?? [...RULE_DEFAULTS.groupBy],
    groupWaitMs: ms(raw.groupWait, RULE_DEFAULTS.groupWait),
    groupIntervalMs: ms(raw.groupInterval, RULE_DEFAULTS.groupInterval),
    repeatIntervalMs: ms(raw.repeatInterval, RULE_DEFAULTS.repeatInterval),
    throttlePeriodMs: ms(raw.throttlePeriod, RULE_DEFAULTS.throttlePeriod),
    escalation: (raw.escalation ?? []).map((s) => ({ afterMs: ms(s.after, '0'), topic: s.topic })),
    dependsOn: raw.dependsOn ?? [],
    flapping: {
      maxChanges: raw.flapping?.maxChanges ?? RULE_DEFAULTS.flapping.maxChanges,
      windowMs: ms(raw.flapping?.window, RULE_DEFAULTS.flapping.window),
    },
    origin,
  } as const;
  if (raw.labels && ('rule' in raw.labels || 'severity' in raw.labels)) {
    issues.push({ path: 'labels', message: '"rule" and "severity" are set by Vigil; choose another label name' });
  }
  for (let i = 1; i < common.escalation.length; i++) {
    if (common.escalation[i]!.afterMs <= common.escalation[i - 1]!.afterMs) {
      issues.push({ path: `escalation[${i}].after`, message: 'must be later than the step before it' });
    }
  }

  let rule: Rule;
  switch (raw.type) {
    case 'threshold':
      rule = {
        ...common,
        type: 'threshold',
        spec: {
          metric: metricOf(raw.metric, service, stats, 'metric', issues),
          op: raw.op,
          value: raw.value,
          windowMs: ms(raw.window, '0'),
        },
      };
      break;
    case 'absence': {
      const m = raw.metric;
      const metric =
        m.source === 'vigil' && m.name === undefined
          ? (() => {
              const s = m.service ?? service;
              if (!s) issues.push({ path: 'metric.service', message: 'required (or give the rule a service)' });
              return { source: 'vigil' as const, service: s ?? '' };
            })()
          : metricOf(m as RawMetric, service, stats, 'metric', issues);
      rule = { ...common, type: 'absence', spec: { metric, windowMs: ms(raw.window, '0') } };
      break;
    }
    case 'health':
      rule = {
        ...common,
        type: 'health',
        spec: { target: raw.target, service: raw.service, statuses: raw.statuses ?? [...RULE_DEFAULTS.healthStatuses] },
      };
      break;
    case 'error_rate': {
      if (!service)
        issues.push({ path: 'service', message: 'required for an error_rate rule (or give total a service)' });
      const d = RULE_DEFAULTS.errorRate;
      const total = metricOf(raw.total ?? { source: 'vigil', ...d.total }, service, sums, 'total', issues);
      const errorsRaw = raw.errors ?? { source: 'vigil', ...d.errors };
      const errors = metricOf(errorsRaw, service, sums, 'errors', issues);
      // The errors share total's split, so the two counts of one alert are of the same label set.
      const split = total.source === 'vigil' ? total.groupBy : [];
      const errorsSplit = errors.source === 'vigil' ? { ...errors, groupBy: split } : errors;
      if (errors.source !== total.source)
        issues.push({ path: 'errors.source', message: 'must be the same source as total' });
      rule = {
        ...common,
        type: 'error_rate',
        spec: {
          errors: errorsSplit,
          total,
          op: raw.op ?? d.op,
          value: raw.value,
          windowMs: ms(raw.window, '0'),
          minRequests: raw.minRequests ?? d.minRequests,
        },
      };
      break;
    }
    case 'anomaly': {
      const d = RULE_DEFAULTS.anomaly;
      const trainingMs = ms(raw.training, d.training);
      const windowMs = ms(raw.window, '0');
      if (trainingMs < 7 * 86_400_000)
        issues.push({ path: 'training', message: 'must be at least 7d (a week of each hour and weekday)' });
      if (windowMs > 3_600_000)
        issues.push({ path: 'window', message: 'must be at most 1h (the baseline is per hour of day and weekday)' });
      rule = {
        ...common,
        type: 'anomaly',
        spec: {
          metric: metricOf(raw.metric, service, stats, 'metric', issues),
          windowMs,
          sensitivity: raw.sensitivity ?? d.sensitivity,
          direction: raw.direction ?? d.direction,
          trainingMs,
          minSlotPoints: d.minSlotPoints,
        },
      };
      break;
    }
    case 'burn_rate': {
      if (raw.good === undefined && raw.latencyThreshold === undefined)
        issues.push({ path: 'good', message: 'required unless latencyThreshold is given' });
      if (raw.good !== undefined && raw.latencyThreshold !== undefined)
        issues.push({ path: 'latencyThreshold', message: 'give either good or latencyThreshold, not both' });
      const total = metricOf(
        raw.total,
        service,
        raw.latencyThreshold !== undefined ? { vigil: 'count', cloudwatch: 'SampleCount' } : sums,
        'total',
        issues,
      );
      if (raw.latencyThreshold !== undefined && total.source !== 'vigil')
        issues.push({ path: 'total.source', message: 'a latency objective needs a Vigil histogram' });
      const periodMs = ms(raw.period, RULE_DEFAULTS.burnRate.period);
      const windows = raw.windows
        ? raw.windows.map((w) => {
            const action = w.action ?? (w.burnRate >= 6 ? 'page' : 'ticket');
            return {
              longMs: ms(w.long, '0'),
              shortMs: ms(w.short, '0'),
              burnRate: w.burnRate,
              action,
              severity: w.severity ?? (action === 'page' ? 'critical' : 'warning'),
            } as const;
          })
        : SRE_WORKBOOK_WINDOWS;
      windows.forEach((w, i) => {
        if (w.shortMs > w.longMs) issues.push({ path: `windows[${i}].short`, message: 'must not be longer than long' });
        if (w.longMs > periodMs)
          issues.push({ path: `windows[${i}].long`, message: 'must not be longer than the period' });
      });
      rule = {
        ...common,
        type: 'burn_rate',
        spec: {
          objective: raw.objective,
          periodMs,
          good: raw.good ? metricOf(raw.good, service, sums, 'good', issues) : undefined,
          total,
          latencyThreshold: raw.latencyThreshold,
          windows,
        },
      };
      break;
    }
  }
  if (!service && rule.type !== 'health' && !issues.some((i) => i.path.endsWith('service'))) {
    issues.push({
      path: 'service',
      message: "required when the metric is from CloudWatch (the alerts' service label)",
    });
  }
  return issues.length ? { ok: false, issues } : { ok: true, rule };
}
