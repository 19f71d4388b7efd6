import type { Matcher } from './matchers.js';
import type { RuleCommon, Severity } from './model.js';

/**
 * A validated rule: the common fields of `RuleCommon` plus its type's `spec`. Produced only by
 * `parseRule` (rule-schema.ts), so every default is filled in and every duration is in milliseconds.
 */

/** A metric of Vigil's rollups: series of `service` named `name`, filtered by `tags` and `match`, split by `groupBy`. */
export interface VigilMetric {
  readonly source: 'vigil';
  readonly service: string;
  readonly name: string;
  /** `count`, `sum`, `avg`, `min`, `max`, `rate` or `pNN` (as `GET /v1/metrics/query`). */
  readonly stat: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly match: readonly Matcher[];
  readonly groupBy: readonly string[];
}

/** A CloudWatch metric, read with GetMetricData. `stat` is CloudWatch's (`Average`, `Sum`, `p99`, …). */
export interface CloudWatchMetric {
  readonly source: 'cloudwatch';
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly stat: string;
}

export type MetricRef = VigilMetric | CloudWatchMetric;

export const OPERATORS = ['>', '>=', '<', '<=', '==', '!='] as const;
export type Operator = (typeof OPERATORS)[number];

export function compare(value: number, op: Operator, threshold: number): boolean {
  switch (op) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
  }
}

export interface ThresholdSpec {
  readonly metric: MetricRef;
  readonly op: Operator;
  readonly value: number;
  readonly windowMs: number;
}

export interface AbsenceSpec {
  /** A metric, or (a Vigil metric without `name`) any ingest from the service. */
  readonly metric: MetricRef | { readonly source: 'vigil'; readonly service: string; readonly name?: undefined };
  readonly windowMs: number;
}

export interface HealthSpec {
  /** One target, or every target of `service`, or (neither) every target. */
  readonly target: string | undefined;
  readonly service: string | undefined;
  readonly statuses: readonly ('down' | 'degraded')[];
}

export interface ErrorRateSpec {
  readonly errors: MetricRef;
  readonly total: MetricRef;
  readonly op: Operator;
  /** A ratio, 0–1. */
  readonly value: number;
  readonly windowMs: number;
  /** Below this many requests in the window the condition is false (1 error in 2 requests does not page). */
  readonly minRequests: number;
}

export interface AnomalySpec {
  readonly metric: MetricRef;
  readonly windowMs: number;
  /** Robust z-score beyond which a value is anomalous: |value − median| > sensitivity × 1.4826 × MAD. */
  readonly sensitivity: number;
  readonly direction: 'above' | 'below' | 'both';
  readonly trainingMs: number;
  /** Points of a seasonal slot below which the slot falls back to the hour of day, then to all points. */
  readonly minSlotPoints: number;
}

export interface BurnWindow {
  readonly longMs: number;
  readonly shortMs: number;
  readonly burnRate: number;
  readonly severity: Severity;
  /** `page` or `ticket`: alerts of one action form one alert (`slo_action` label), firing if any window pair exceeds. */
  readonly action: 'page' | 'ticket';
}

export interface BurnRateSpec {
  /** Percent, such as 99.9. */
  readonly objective: number;
  readonly periodMs: number;
  /** Good and total counters, or total and a latency threshold (good = observations at or under it). */
  readonly good: MetricRef | undefined;
  readonly total: MetricRef;
  readonly latencyThreshold: number | undefined;
  readonly windows: readonly BurnWindow[];
}

export interface FlappingPolicy {
  /** More than this many state changes within `windowMs` marks the alert flapping. */
  readonly maxChanges: number;
  readonly windowMs: number;
}

interface RuleBase extends RuleCommon {
  /** The `service` label: the metric's service, or the rule's `service` field. */
  readonly service: string;
  /** Probe targets this rule's alerts depend on (root cause folding). */
  readonly dependsOn: readonly string[];
  readonly flapping: FlappingPolicy;
}

export type Rule =
  | (RuleBase & { readonly type: 'threshold'; readonly spec: ThresholdSpec })
  | (RuleBase & { readonly type: 'absence'; readonly spec: AbsenceSpec })
  | (RuleBase & { readonly type: 'health'; readonly spec: HealthSpec })
  | (RuleBase & { readonly type: 'error_rate'; readonly spec: ErrorRateSpec })
  | (RuleBase & { readonly type: 'anomaly'; readonly spec: AnomalySpec })
  | (RuleBase & { readonly type: 'burn_rate'; readonly spec: BurnRateSpec });

export type RuleOf<T extends Rule['type']> = Extract<Rule, { type: T }>;
