import * as v from 'valibot';
import type { Violation } from '../../errors.js';
import { parseDuration } from '../duration.js';
import type { AlertState } from '../model.js';
import { objectMessage, shapeViolations } from '../rule-schema.js';
import type { MemoryCloudWatchSeries, MemorySeries, MemoryTarget } from './memory-source.js';
import { expandValues, expandWords, parseSelector } from './series-notation.js';

/**
 * The rule test file of `vigil rules test`, promtool's layout (`rule_files`, `evaluation_interval`,
 * `tests[].input_series`, `alert_rule_test[].exp_alerts`) plus what Vigil rules read beyond series: probe
 * `targets` with status sequences, CloudWatch series, `deployments`, and each alert's expected `exp_state`.
 */
const DURATION = v.pipe(
  v.string('must be a duration such as "1m"'),
  v.check((s) => parseDuration(s) !== undefined, 'must be a duration such as "30s", "1m" or "1h30m"'),
);
const LABELS = v.record(v.string(), v.string('must be a string'));
const TEXT = v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty'));
/** A Monday, midnight UTC: the default start, so hour-of-day and weekday behaviour is predictable. */
export const DEFAULT_START = Date.UTC(2026, 0, 5);

const SeriesSchema = v.strictObject(
  {
    series: v.optional(TEXT),
    cloudwatch: v.optional(
      v.strictObject({ namespace: TEXT, metricName: TEXT, dimensions: v.optional(LABELS) }, objectMessage),
    ),
    type: v.optional(v.picklist(['gauge', 'counter', 'histogram'], 'must be gauge, counter or histogram')),
    values: v.string('must be a string of values such as "0+10x5 _ 3"'),
    fail: v.optional(TEXT),
  },
  objectMessage,
);

const TestSchema = v.strictObject(
  {
    name: v.optional(v.string('must be a string')),
    interval: v.optional(DURATION),
    start: v.optional(
      v.pipe(
        v.string('must be an ISO 8601 time'),
        v.check((s) => Number.isFinite(Date.parse(s)), 'must be an ISO 8601 time such as 2026-01-05T00:00:00Z'),
      ),
    ),
    input_series: v.optional(v.array(SeriesSchema, 'must be a list')),
    targets: v.optional(
      v.array(
        v.strictObject({ id: TEXT, service: TEXT, statuses: v.string('must be a string') }, objectMessage),
        'must be a list',
      ),
    ),
    deployments: v.optional(
      v.array(v.strictObject({ service: TEXT, start: DURATION, end: DURATION }, objectMessage), 'must be a list'),
    ),
    alert_rule_test: v.pipe(
      v.array(
        v.strictObject(
          {
            eval_time: DURATION,
            alertname: TEXT,
            exp_alerts: v.optional(
              v.array(
                v.strictObject(
                  {
                    exp_labels: v.optional(LABELS),
                    exp_state: v.optional(
                      v.picklist(['pending', 'firing', 'nodata'], 'must be pending, firing or nodata'),
                    ),
                    exp_annotations: v.optional(LABELS),
                  },
                  objectMessage,
                ),
                'must be a list',
              ),
            ),
          },
          objectMessage,
        ),
        'must be a list',
      ),
      v.minLength(1, 'must list at least one check'),
    ),
  },
  objectMessage,
);

export const TestFileSchema = v.strictObject(
  {
    rule_files: v.optional(v.array(TEXT, 'must be a list of paths')),
    rules: v.optional(v.array(v.unknown(), 'must be a list of rules')),
    evaluation_interval: v.optional(DURATION),
    tests: v.pipe(v.array(TestSchema, 'must be a list'), v.minLength(1, 'must list at least one test')),
  },
  objectMessage,
);
export type RawTestFile = v.InferOutput<typeof TestFileSchema>;

export interface ExpectedAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly state: Exclude<AlertState, 'inactive' | 'resolved'>;
  readonly annotations: Readonly<Record<string, string>> | undefined;
}

export interface TestCase {
  readonly name: string;
  readonly start: number;
  readonly series: MemorySeries[];
  readonly cloudwatch: MemoryCloudWatchSeries[];
  readonly targets: MemoryTarget[];
  readonly deployments: { service: string; start: number; end: number }[];
  readonly checks: { at: number; evalTime: string; ruleId: string; expected: ExpectedAlert[] }[];
}

const ms = (d: string) => parseDuration(d) ?? 0;
const STATUSES = ['up', 'degraded', 'down'] as const;

export function readTestFile(
  json: unknown,
): { ok: true; file: RawTestFile; cases: TestCase[]; evaluationMs: number } | { ok: false; issues: Violation[] } {
  const shaped = v.safeParse(TestFileSchema, json);
  if (!shaped.success) return { ok: false, issues: shapeViolations(shaped.issues) };
  const file = shaped.output;
  const evaluationMs = ms(file.evaluation_interval ?? '1m');
  const issues: Violation[] = [];
  const cases = file.tests.map((t, ti): TestCase => {
    const at = `tests[${ti}]`;
    const start = t.start ? Date.parse(t.start) : DEFAULT_START;
    const step = ms(t.interval ?? file.evaluation_interval ?? '1m');
    const timed = <T>(values: (T | undefined)[]) =>
      values.flatMap((x, i) => (x === undefined ? [] : [[start + i * step, x] as const]));
    const series: MemorySeries[] = [];
    const cloudwatch: MemoryCloudWatchSeries[] = [];
    for (const [si, s] of (t.input_series ?? []).entries()) {
      const path = `${at}.input_series[${si}]`;
      const values = expandValues(s.values);
      if (!values.ok) issues.push({ path: `${path}.values`, message: values.message });
      const points = values.ok ? timed(values.values) : [];
      if (s.cloudwatch) {
        cloudwatch.push({
          namespace: s.cloudwatch.namespace,
          metricName: s.cloudwatch.metricName,
          dimensions: s.cloudwatch.dimensions ?? {},
          points,
          ...(s.fail ? { fail: s.fail } : {}),
        });
        continue;
      }
      if (!s.series) {
        issues.push({ path: `${path}.series`, message: 'required (or give cloudwatch)' });
        continue;
      }
      const sel = parseSelector(s.series);
      if (!sel.ok) {
        issues.push({ path: `${path}.series`, message: sel.message });
        continue;
      }
      const { service, ...tags } = sel.labels;
      if (!service) {
        issues.push({ path: `${path}.series`, message: 'needs a service label: name{service="checkout", …}' });
        continue;
      }
      series.push({ service, name: sel.name, type: s.type ?? 'gauge', tags, points });
    }
    const targets = (t.targets ?? []).map((target, i): MemoryTarget => {
      const statuses = expandWords(target.statuses, STATUSES);
      if (!statuses.ok) issues.push({ path: `${at}.targets[${i}].statuses`, message: statuses.message });
      return { id: target.id, service: target.service, statuses: statuses.ok ? timed(statuses.values) : [] };
    });
    return {
      name: t.name ?? `test ${ti + 1}`,
      start,
      series,
      cloudwatch,
      targets,
      deployments: (t.deployments ?? []).map((d) => ({
        service: d.service,
        start: start + ms(d.start),
        end: start + ms(d.end),
      })),
      checks: t.alert_rule_test.map((c) => ({
        at: start + ms(c.eval_time),
        evalTime: c.eval_time,
        ruleId: c.alertname,
        expected: (c.exp_alerts ?? []).map((e) => ({
          labels: e.exp_labels ?? {},
          state: e.exp_state ?? 'firing',
          annotations: e.exp_annotations,
        })),
      })),
    };
  });
  return issues.length ? { ok: false, issues } : { ok: true, file, cases, evaluationMs };
}
