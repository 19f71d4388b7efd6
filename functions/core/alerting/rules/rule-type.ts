import type { AlertDataSource, CloudWatchQuery, CloudWatchResult } from '../data-source.js';
import { formatDuration } from '../duration.js';
import type { Labels, Severity } from '../model.js';
import type { CloudWatchMetric, MetricRef, Rule } from '../rule-model.js';
import type { Observation } from '../state-machine.js';

/** What one rule's evaluation says about each of its label sets; no samples at all means the rule has no data. */
export interface Sample {
  /** The label set's own labels (groupBy tags, target, …); the rule's labels are added by the evaluator. */
  readonly labels: Labels;
  readonly observation: Observation;
  /** Overrides the rule's severity (a burn-rate ticket alert). */
  readonly severity?: Severity;
}

export interface RuleInput {
  readonly data: AlertDataSource;
  /** The results of this rule's `cloudWatchQueries`, in order (all succeeded: a failure never reaches a rule). */
  readonly cloudWatch: readonly CloudWatchResult[];
}

export interface RuleType<R extends Rule> {
  /** CloudWatch reads this rule needs at `now`, gathered across rules into batched GetMetricData calls. */
  cloudWatchQueries(rule: R, now: number): CloudWatchQuery[];
  evaluate(rule: R, input: RuleInput, now: number): Promise<Sample[]>;
}

/** One CloudWatch period covering the window (periods are multiples of 60 s). */
export function cloudWatchWindow(metric: CloudWatchMetric, windowMs: number, now: number): CloudWatchQuery {
  const periodSeconds = Math.max(60, Math.ceil(windowMs / 60_000) * 60);
  return { metric, from: now - periodSeconds * 1_000, to: now, periodSeconds };
}

/** The newest value of a one-window CloudWatch result. */
export function latest(result: CloudWatchResult | undefined): number | undefined {
  if (!result?.ok || result.points.length === 0) return undefined;
  return [...result.points].sort((a, b) => b[0] - a[0])[0]![1];
}

export const describeMetric = (
  m: MetricRef | { source: 'vigil'; service: string; name?: string | undefined },
): string =>
  m.source === 'cloudwatch'
    ? `${m.stat} of ${m.namespace}/${m.metricName}`
    : 'stat' in m
      ? `${m.stat} of ${m.name}`
      : m.name
        ? m.name
        : `ingest from ${m.service}`;

export const fmt = (x: number): string => (Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(4))));
export const over = (ms: number) => `over ${formatDuration(ms)}`;
