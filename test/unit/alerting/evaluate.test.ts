import { describe, expect, it } from 'vitest';
import type { AlertDataSource } from '../../../functions/core/alerting/data-source.js';
import { createEvaluator } from '../../../functions/core/alerting/evaluate.js';
import type { AlertRecord, AlertTransition } from '../../../functions/core/alerting/model.js';
import type { EvaluationResult } from '../../../functions/core/alerting/ports.js';
import type { Rule } from '../../../functions/core/alerting/rule-model.js';
import { parseRule } from '../../../functions/core/alerting/rule-parse.js';
import {
  type MemoryData,
  type MemorySeries,
  memorySource,
} from '../../../functions/core/alerting/rule-tests/memory-source.js';
import { errorBudget, readErrorBudget } from '../../../functions/core/alerting/rules/burn-rate.js';

// A Monday, 12:00 UTC; one evaluation a minute.
const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
const MIN = 60_000;

const rule = (json: Record<string, unknown>): Rule => {
  const r = parseRule(json, 'api', 'r');
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.rule;
};

/** One point per minute from T0 (`undefined` = no point that minute). */
const perMinute = (values: readonly (number | undefined)[], start = T0 - MIN / 2): [number, number][] =>
  values.flatMap((v, i) => (v === undefined ? [] : [[start + i * MIN, v] as [number, number]]));

const series = (
  name: string,
  values: readonly (number | undefined)[],
  extra: Partial<MemorySeries> = {},
): MemorySeries => ({
  service: 'checkout',
  name,
  type: 'gauge',
  tags: {},
  points: perMinute(values),
  ...extra,
});

/** Evaluates at T0 + i minutes for i = 0…n−1, keeping alert records as the store would. */
async function drive(r: Rule, data: Omit<MemoryData, 'now'>, n: number, wrap = (s: AlertDataSource) => s) {
  let now = T0;
  const source = wrap(memorySource({ ...data, now: () => now }));
  const evaluator = createEvaluator({ rules: { list: async () => [r] }, data: source });
  const store = new Map<string, AlertRecord>();
  const timeline: Record<string, string>[] = [];
  const transitions: AlertTransition[] = [];
  const results: EvaluationResult[] = [];
  for (let i = 0; i < n; i++) {
    now = T0 + i * MIN;
    const result = await evaluator.evaluate([...store.values()], now);
    results.push(result);
    for (const a of result.changed) store.set(a.id, { ...a, version: a.version + 1 });
    transitions.push(...result.transitions);
    timeline.push(Object.fromEntries([...store.values()].map((a) => [JSON.stringify(labelsOf(a)), a.state])));
  }
  return { timeline, transitions, results, store };
}
const labelsOf = (a: AlertRecord) => {
  const { service: _s, rule: _r, severity: _v, ...own } = a.labels;
  return own;
};
/** The minute of each transition: "pending@1 firing@3 resolved@6". */
const when = (ts: readonly AlertTransition[]) => ts.map((t) => `${t.to}@${(t.at - T0) / MIN}`).join(' ');

describe('evaluator: the evaluation at which each rule type goes pending, fires and resolves', () => {
  it('threshold: p95 over 1m > 800 with for 2m and keepFiringFor 2m, one alert per route', async () => {
    const r = rule({
      type: 'threshold',
      metric: { service: 'checkout', name: 'latency', stat: 'p95', groupBy: ['route'] },
      op: '>',
      value: 800,
      window: '1m',
      for: '2m',
      keepFiringFor: '2m',
      annotations: { summary: '{{ labels.route }} p95 is {{ value }} ms' },
    });
    const { transitions, store } = await drive(
      r,
      {
        series: [
          series('latency', [100, 900, 900, 900, 100, 100, 100, 100], { tags: { route: '/cart' } }),
          series('latency', [100, 100, 100, 100, 100, 100, 100, 100], { tags: { route: '/home' } }),
        ],
      },
      8,
    );
    expect(when(transitions)).toBe('pending@1 firing@3 resolved@6');
    expect(transitions.map((t) => t.reason.code)).toEqual(['condition-true', 'for-elapsed', 'keep-firing-elapsed']);
    expect(transitions[1]!.reason.message).toBe('p95 of latency over 1m is 900 (> 800 is true), for 2m (for: 2m)');
    const cart = [...store.values()].find((a) => a.labels.route === '/cart')!;
    expect(cart.labels).toEqual({ route: '/cart', service: 'checkout', rule: 'r', severity: 'warning' });
    expect(cart.annotations.summary).toBe('/cart p95 is 100 ms');
    expect([...store.values()].some((a) => a.labels.route === '/home')).toBe(false);
  });

  it('threshold without data: nodata once (info-worthy), back to inactive when data returns', async () => {
    const r = rule({
      type: 'threshold',
      metric: { service: 'checkout', name: 'latency' },
      op: '>',
      value: 800,
      window: '1m',
    });
    const { transitions, results } = await drive(
      r,
      { series: [series('latency', [900, undefined, undefined, 100])] },
      4,
    );
    expect(when(transitions)).toBe('firing@0 nodata@1 inactive@3');
    expect(transitions.map((t) => t.reason.code)).toEqual(['condition-true', 'no-data', 'data-returned']);
    expect(results.map((x) => x.statuses[0]!.health)).toEqual(['ok', 'nodata', 'nodata', 'ok']);
  });

  it('absence: fires at the first evaluation 3m after the last datapoint, resolves when data returns', async () => {
    const r = rule({ type: 'absence', metric: { service: 'checkout', name: 'heartbeat' }, window: '3m' });
    const values = [1, 1, undefined, undefined, undefined, undefined, 1, 1];
    const { transitions } = await drive(r, { series: [series('heartbeat', values)] }, 8);
    // The last point is at 30s: absent for 3m from 3m30s, so the evaluation at 4m fires; the point at 5m30s is seen at 6m.
    expect(when(transitions)).toBe('firing@4 resolved@6');
    expect(transitions[0]!.reason.message).toBe('the last datapoint of heartbeat was 3m30s ago (absent after 3m)');
  });

  it('health: a target down for 2m fires, one alert per target, unknown is no data', async () => {
    const r = rule({ type: 'health', service: 'checkout', for: '2m' });
    const s = (minute: number, status: 'up' | 'down') => [T0 + minute * MIN, status] as const;
    const { transitions, timeline } = await drive(
      r,
      {
        series: [],
        targets: [
          { id: 'api', service: 'checkout', statuses: [s(0, 'up'), s(1, 'down'), s(5, 'up')] },
          { id: 'db', service: 'checkout', statuses: [s(0, 'up')] },
          { id: 'other', service: 'search', statuses: [s(0, 'down')] },
        ],
      },
      6,
    );
    expect(when(transitions)).toBe('pending@1 firing@3 resolved@5');
    expect(transitions[1]!.reason.message).toBe('target api is down, for 2m (for: 2m)');
    expect(Object.keys(timeline.at(-1)!)).toEqual(['{"target":"api"}']);
  });

  it('error_rate: 5xx over all requests above 5%, not below the minimum request count', async () => {
    const r = rule({ type: 'error_rate', service: 'checkout', value: 0.05, window: '2m', minRequests: 20 });
    const requests = (status: string, values: number[]) =>
      series('http.server.requests', values, { type: 'counter', tags: { status_class: status } });
    const { transitions } = await drive(
      r,
      {
        series: [
          // Each evaluation sees the last two minutes. Minute 0: 1 error in 2 requests (50%, but too few);
          // minutes 2–4: 10 errors in 100; from minute 5: none (5 − 5.0% at minute 5 is not above 5%).
          requests('2xx', [1, 1, 90, 90, 90, 100, 100, 100]),
          requests('5xx', [1, 0, 10, 10, 10, 0, 0, 0]),
        ],
      },
      8,
    );
    expect(when(transitions)).toBe('firing@2 resolved@5');
    expect(transitions[0]!.reason.message).toBe('error rate over 2m is 9.901% (10 of 101 requests; > 5% is true)');
  });

  it('burn_rate: the 1h/5m page fires when both windows burn above 14.4, the ticket stays quiet', async () => {
    const r = rule({
      type: 'burn_rate',
      service: 'checkout',
      objective: 99,
      total: { name: 'requests' },
      good: { name: 'good' },
      windows: [
        { long: '1h', short: '5m', burnRate: 14.4 },
        { long: '3d', short: '6h', burnRate: 1 },
      ],
    });
    // 100 requests a minute for 3 days with 0.5% errors (burn 0.5), then 30% errors from 12:00 (burn 30):
    // the 5m window exceeds at once, the 1h window once its average passes 14.4 × 1%; the 3d window
    // would need 74 bad minutes to pass 1, so the ticket stays quiet.
    const history = 3 * 24 * 60;
    const total = Array.from({ length: history + 40 }, () => 100);
    const good = Array.from({ length: history + 40 }, (_, i) => (i < history ? 99.5 : 70));
    const start = T0 - history * MIN - MIN / 2;
    const { transitions, store } = await drive(
      r,
      {
        series: [
          { service: 'checkout', name: 'requests', type: 'counter', tags: {}, points: perMinute(total, start) },
          { service: 'checkout', name: 'good', type: 'counter', tags: {}, points: perMinute(good, start) },
        ],
      },
      40,
    );
    // 1h burn after k bad minutes: ((60−k)·0.5% + k·30%) / 60 / 1% > 14.4 ⇔ k > 28.3; evaluation t sees k = t + 1.
    expect(when(transitions)).toBe('firing@28');
    const page = [...store.values()].find((a) => a.labels.slo_action === 'page')!;
    expect([page.severity, page.labels.severity]).toEqual(['critical', 'critical']);
    expect(transitions[0]!.reason.message).toBe('burn rate 14.76 over 1h and 30 over 5m (both above 14.4) for 99%');
  });

  it('anomaly: a spike beyond the seasonal band fires, a level inside it does not; deploy windows are not learnt', async () => {
    const r = rule({
      type: 'anomaly',
      metric: { service: 'checkout', name: 'rps' },
      window: '1m',
      for: '0s',
      sensitivity: 3,
    });
    // 14 days of history in the 12:00 hour: around 100 (±2), except last Monday's, a deploy at 500, which
    // would put the median of the same weekday and time at 300 if it were learnt. At 12:01 the slot is
    // 11:31–12:31 of the earlier Mondays: 31 points of the one that is not a deploy.
    const points: [number, number][] = [];
    for (let d = 1; d <= 14; d++) {
      for (let m = 0; m < 60; m++)
        points.push([T0 - d * 86_400_000 + m * MIN + 1_000, d === 7 ? 500 : 100 + ((m * 7 + d) % 5) - 2]);
    }
    points.push([T0 + 0 * MIN - 30_000, 101], [T0 + 1 * MIN - 30_000, 160], [T0 + 2 * MIN - 30_000, 99]);
    const deploy = { service: 'checkout', start: T0 - 7 * 86_400_000, end: T0 - 7 * 86_400_000 + 3_600_000 };
    const { transitions } = await drive(
      r,
      { series: [{ service: 'checkout', name: 'rps', type: 'gauge', tags: {}, points }], deployments: [deploy] },
      3,
    );
    expect(when(transitions)).toBe('firing@1 resolved@2');
    expect(transitions[0]!.reason.message).toBe(
      'avg of rps over 1m is 160, outside the band 95.55–104.4 (median 100 of 31 points of the same time and weekday, score 40.47, sensitivity 3)',
    );
  });
});

describe('evaluator: failures', () => {
  const cwRule = rule({
    type: 'threshold',
    service: 'checkout',
    metric: {
      source: 'cloudwatch',
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensions: { FunctionName: 'f' },
      stat: 'Sum',
    },
    op: '>',
    value: 5,
    window: '1m',
  });

  it('a CloudWatch rule fires from GetMetricData results', async () => {
    const { transitions } = await drive(
      cwRule,
      {
        series: [],
        cloudwatch: [
          {
            namespace: 'AWS/Lambda',
            metricName: 'Errors',
            dimensions: { FunctionName: 'f' },
            points: perMinute([1, 9, 9]),
          },
        ],
      },
      3,
    );
    expect(when(transitions)).toBe('firing@1');
  });

  it('a CloudWatch failure marks the rule error and leaves its alerts as they were', async () => {
    let failing = false;
    const wrap = (s: AlertDataSource): AlertDataSource => ({
      ...s,
      cloudWatch: async (q) =>
        failing ? q.map(() => ({ ok: false as const, error: 'Throttling: Rate exceeded' })) : s.cloudWatch(q),
    });
    let now = T0;
    const source = wrap(
      memorySource({
        series: [],
        now: () => now,
        cloudwatch: [
          {
            namespace: 'AWS/Lambda',
            metricName: 'Errors',
            dimensions: { FunctionName: 'f' },
            points: perMinute([9, 1]),
          },
        ],
      }),
    );
    const evaluator = createEvaluator({ rules: { list: async () => [cwRule] }, data: source });
    const first = await evaluator.evaluate([], now);
    expect(first.transitions.map((t) => t.to)).toEqual(['firing']);
    failing = true;
    now += MIN;
    const alerts = first.changed.map((a) => ({ ...a, version: 1 }));
    const second = await evaluator.evaluate(alerts, now);
    expect(second.changed).toEqual([]);
    expect(second.transitions).toEqual([]);
    expect(second.statuses).toEqual([
      {
        ruleId: 'r',
        evaluatedAt: now,
        health: 'error',
        active: 1,
        error: 'could not read CloudWatch: Throttling: Rate exceeded',
      },
    ]);
  });

  it('one rule that throws does not stop the others', async () => {
    const good = rule({
      type: 'threshold',
      metric: { service: 'checkout', name: 'latency' },
      op: '>',
      value: 1,
      window: '1m',
    });
    const broken = {
      ...rule({ type: 'threshold', metric: { service: 'checkout', name: 'broken' }, op: '>', value: 1, window: '1m' }),
      id: 'broken',
    };
    const source = memorySource({ series: [series('latency', [5])], now: () => T0 });
    const data: AlertDataSource = {
      ...source,
      windowStat: (m, from, to) =>
        m.name === 'broken' ? Promise.reject(new Error('timeout')) : source.windowStat(m, from, to),
    };
    const errors: string[] = [];
    const evaluator = createEvaluator({
      rules: { list: async () => [good, broken] },
      data,
      onRuleError: (id) => errors.push(id),
    });
    const result = await evaluator.evaluate([], T0);
    expect(result.statuses.map((s) => [s.ruleId, s.health, s.error])).toEqual([
      ['r', 'ok', undefined],
      ['broken', 'error', 'timeout'],
    ]);
    expect(result.transitions.map((t) => [t.ruleId, t.to])).toEqual([['r', 'firing']]);
    expect(errors).toEqual(['broken']);
  });

  it('open alerts of a deleted rule resolve', async () => {
    const r = rule({
      type: 'threshold',
      metric: { service: 'checkout', name: 'latency' },
      op: '>',
      value: 1,
      window: '1m',
    });
    const source = memorySource({ series: [series('latency', [5])], now: () => T0 });
    const first = await createEvaluator({ rules: { list: async () => [r] }, data: source }).evaluate([], T0);
    const after = await createEvaluator({ rules: { list: async () => [] }, data: source }).evaluate(
      first.changed,
      T0 + MIN,
    );
    expect(after.transitions.map((t) => [t.from, t.to, t.seq, t.reason.code])).toEqual([
      ['firing', 'resolved', 2, 'rule-deleted'],
    ]);
  });
});

describe('error budget', () => {
  const slo = rule({
    type: 'burn_rate',
    service: 'checkout',
    objective: 99.9,
    period: '30d',
    total: { name: 'requests' },
    good: { name: 'good' },
  });
  const budget = (good: number, total: number) => {
    if (slo.type !== 'burn_rate') throw new Error('not an SLO');
    return errorBudget(slo, { good, total }, T0);
  };

  it.each<[number, number, number, number | undefined]>([
    [1_000_000, 1_000_000, 1, 1],
    [999_500, 1_000_000, 0.5, 0.9995],
    [999_000, 1_000_000, 0, 0.999],
    [998_000, 1_000_000, -1, 0.998],
    [0, 0, 1, undefined],
  ])('%d good of %d: remaining %d', (good, total, remaining, sli) => {
    const b = budget(good, total);
    expect(b.remaining).toBeCloseTo(remaining, 10);
    expect(b.sli).toBe(sli);
    expect([b.from, b.to, b.periodMs]).toEqual([T0 - 30 * 86_400_000, T0, 30 * 86_400_000]);
  });

  it('reads the period through the data port', async () => {
    if (slo.type !== 'burn_rate') throw new Error('not an SLO');
    // 30 days ago up to now: 1,000 requests a minute for the last 2 hours, 3 bad a minute.
    const minutes = 120;
    const at = (i: number) => T0 - (minutes - i) * MIN + 1_000;
    const data = memorySource({
      series: [
        {
          service: 'checkout',
          name: 'requests',
          type: 'counter',
          tags: {},
          points: Array.from({ length: minutes }, (_, i) => [at(i), 1_000] as const),
        },
        {
          service: 'checkout',
          name: 'good',
          type: 'counter',
          tags: {},
          points: Array.from({ length: minutes }, (_, i) => [at(i), 997] as const),
        },
      ],
      now: () => T0,
    });
    const b = await readErrorBudget(slo, data, T0);
    expect([b.total, b.good, b.bad, Number(b.allowedBad.toFixed(6)), Number(b.remaining.toFixed(6))]).toEqual([
      120_000, 119_640, 360, 120, -2,
    ]);
  });
});

describe('evaluator: label sets', () => {
  it('the rule-level nodata alert clears when data returns under groupBy labels', async () => {
    const r = rule({
      type: 'threshold',
      metric: { service: 'checkout', name: 'latency', groupBy: ['route'] },
      op: '>',
      value: 800,
      window: '1m',
    });
    const { transitions } = await drive(
      r,
      { series: [series('latency', [undefined, 900], { tags: { route: '/cart' } })] },
      2,
    );
    expect(
      transitions.map((t) => [t.to, (t.at - T0) / MIN, JSON.stringify(t.alertId.split(':')[0]), t.reason.message]),
    ).toEqual([
      ['nodata', 0, '"r"', "no data: the rule's query returned nothing; shown as nodata until data returns"],
      ['firing', 1, '"r"', 'avg of latency over 1m is 900 (> 800 is true)'],
      ['inactive', 1, '"r"', 'data returned: the rule has data again, for other label sets'],
    ]);
  });
});
