import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vigilAlertData } from '../../functions/adapters/alert-data-vigil.js';
import { documentClient } from '../../functions/adapters/dynamodb.js';
import { DynamoDbTargetStore } from '../../functions/adapters/dynamodb-target-store.js';
import { DynamoDbTelemetryReader } from '../../functions/adapters/dynamodb-telemetry-reader.js';
import { DynamoDbTelemetryWriter } from '../../functions/adapters/dynamodb-telemetry-writer.js';
import type { AlertDataSource } from '../../functions/core/alerting/data-source.js';
import { createEvaluator } from '../../functions/core/alerting/evaluate.js';
import type { AlertRecord, AlertTransition } from '../../functions/core/alerting/model.js';
import type { Rule, VigilMetric } from '../../functions/core/alerting/rule-model.js';
import { parseRule } from '../../functions/core/alerting/rule-parse.js';
import { TargetSpecSchema } from '../../functions/core/probing/target-schema.js';
import type { MetricPoint } from '../../functions/core/telemetry/model.js';
import { planRollups } from '../../functions/core/telemetry/rollup-plan.js';
import { contributionOf } from '../../functions/core/telemetry/validate-batch.js';
import { type LocalDynamo, startLocalDynamo } from '../../lib/local/dynamo.js';

/** The Vigil alert data adapter against dynalite: rollups written by the real writer, read back for rules. */
const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
const MIN = 60_000;
let dynamo: LocalDynamo;
let data: AlertDataSource;
let targets: DynamoDbTargetStore;
let batch = 0;
let now = T0;

async function write(writer: DynamoDbTelemetryWriter, service: string, metricPoints: MetricPoint[]) {
  const plan = planRollups(metricPoints, 60);
  await writer.admitSeries(service, [...plan.series.values()], 1_000, T0);
  await writer.applyRollups(service, plan.updates, {
    batchId: `batch${String(batch++).padStart(6, '0')}`,
    remainingMs: () => 60_000,
  });
}

const point = (
  name: string,
  type: MetricPoint['type'],
  tags: Record<string, string>,
  at: number,
  values: number[],
): MetricPoint => ({
  name,
  type,
  tags,
  timestamp: at,
  contribution: contributionOf(values, type !== 'counter'),
});

beforeAll(async () => {
  dynamo = await startLocalDynamo({});
  const db = documentClient({ endpoint: dynamo.endpoint });
  const writer = new DynamoDbTelemetryWriter(db, dynamo.tables.telemetry, {
    metricsDays: 30,
    logsDays: 7,
    spansDays: 7,
    errorsDays: 30,
  });
  const all: MetricPoint[] = [];
  // Minutes −10…−1: latency per route (the cart route slow in the last 3 minutes), requests by status class.
  for (let m = -10; m < 0; m++) {
    const at = T0 + m * MIN + 5_000;
    const slow = m >= -3;
    all.push(
      point(
        'http.server.duration',
        'histogram',
        { route: '/cart' },
        at,
        slow ? [700, 900, 950, 1_200] : [100, 120, 130, 150],
      ),
    );
    all.push(point('http.server.duration', 'histogram', { route: '/home' }, at, [50, 60, 70, 80]));
    all.push(point('http.server.requests', 'counter', { status_class: '2xx' }, at, [slow ? 80 : 100]));
    all.push(point('http.server.requests', 'counter', { status_class: '5xx' }, at, [slow ? 20 : 0]));
  }
  await write(writer, 'checkout', all);
  await writer.admitService(
    'checkout',
    'prod',
    T0 - 4 * MIN,
    { maxServices: 100, maxEnvironments: 10 },
    { batchId: 'alert-data-test', remainingMs: () => 60_000 },
  );
  targets = new DynamoDbTargetStore(db, dynamo.tables.probes);
  const spec = v.parse(TargetSpecSchema, { service: 'checkout', url: 'https://checkout.example.com/health' });
  await targets.putTarget({
    ...spec,
    id: 'checkout-health',
    managedBy: 'api',
    createdAt: T0 - 3_600_000,
    updatedAt: T0 - 3_600_000,
  });
  data = vigilAlertData({
    reader: new DynamoDbTelemetryReader(db, dynamo.tables.telemetry, () => now),
    targets,
    stepSeconds: 60,
    now: () => now,
  });
});
afterAll(() => dynamo?.close());

const rule = (json: Record<string, unknown>, id = 'r'): Rule => {
  const r = parseRule(json, 'api', id);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.rule;
};

const metric = (extra: Partial<VigilMetric>): VigilMetric => ({
  source: 'vigil',
  service: 'checkout',
  name: 'http.server.duration',
  stat: 'p95',
  tags: {},
  match: [],
  groupBy: [],
  ...extra,
});

describe('Vigil alert data (dynalite)', () => {
  it('reads a statistic over a window per groupBy label set, as the metrics query merges rollups', async () => {
    const p95 = await data.windowStat(metric({ groupBy: ['route'] }), T0 - 3 * MIN, T0);
    expect(p95.map((x) => [x.labels, Math.round(x.value), x.count])).toEqual([
      [{ route: '/cart' }, 1_200, 12],
      [{ route: '/home' }, 80, 12],
    ]);
    const requests = await data.windowStat(
      metric({ name: 'http.server.requests', stat: 'sum', tags: { status_class: '5xx' } }),
      T0 - 5 * MIN,
      T0,
    );
    expect(requests).toEqual([{ labels: {}, value: 60, count: 5 }]);
    const matched = await data.windowStat(
      metric({ stat: 'max', match: [{ label: 'route', op: '=~', value: '/c.*' }] }),
      T0 - 10 * MIN,
      T0,
    );
    expect(matched).toEqual([{ labels: {}, value: 1_200, count: 40 }]);
  });

  it('reads per-step series, latency counts and the last datapoint', async () => {
    const series = await data.series(metric({ stat: 'max', tags: { route: '/cart' } }), T0 - 5 * MIN, T0, MIN);
    expect(series).toEqual([
      { labels: {}, points: [-5, -4, -3, -2, -1].map((m) => [T0 + m * MIN, m >= -3 ? 1_200 : 150]) },
    ]);
    const latency = await data.latencyCounts(metric({ tags: { route: '/cart' } }), 300, T0 - 10 * MIN, T0);
    expect(latency).toEqual([{ labels: {}, good: 28, total: 40 }]);
    expect(await data.lastSeen({ service: 'checkout', name: 'http.server.duration' }, T0 - 20 * MIN, T0)).toBe(
      T0 - MIN,
    );
    expect(await data.lastSeen({ service: 'checkout', name: 'nothing' }, T0 - 20 * MIN, T0)).toBeUndefined();
    expect(await data.lastSeen({ service: 'checkout' }, T0 - 20 * MIN, T0)).toBe(T0 - 4 * MIN);
    expect((await data.targets()).map((t) => [t.id, t.status])).toEqual([['checkout-health', 'unknown']]);
    expect(
      await data.cloudWatch([
        {
          metric: { source: 'cloudwatch', namespace: 'N', metricName: 'M', dimensions: {}, stat: 'Sum' },
          from: 0,
          to: 1,
          periodSeconds: 60,
        },
      ]),
    ).toEqual([{ ok: false, error: 'CloudWatch is not configured here' }]);
  });

  it('rules evaluated on stored data fire, and go nodata when the data stops', async () => {
    const rules = [
      rule(
        {
          type: 'threshold',
          metric: { service: 'checkout', name: 'http.server.duration', stat: 'p95', groupBy: ['route'] },
          op: '>',
          value: 800,
          window: '3m',
        },
        'latency',
      ),
      rule({ type: 'error_rate', service: 'checkout', value: 0.1, window: '2m' }, 'errors'),
      rule({ type: 'absence', metric: { service: 'checkout' }, window: '3m' }, 'silent'),
      rule({ type: 'health', target: 'checkout-health' }, 'health'),
    ];
    const evaluator = createEvaluator({ rules: { list: async () => rules }, data });
    const alerts = new Map<string, AlertRecord>();
    const seen: AlertTransition[] = [];
    for (const at of [T0, T0 + 10 * MIN]) {
      now = at;
      const result = await evaluator.evaluate([...alerts.values()], at);
      for (const a of result.changed) alerts.set(a.id, { ...a, version: a.version + 1 });
      seen.push(...result.transitions);
    }
    expect(seen.map((t) => `${t.ruleId} ${t.from}→${t.to} @${(t.at - T0) / MIN}: ${t.reason.message}`)).toEqual([
      'latency inactive→firing @0: p95 of http.server.duration over 3m is 1200 (> 800 is true)',
      'errors inactive→firing @0: error rate over 2m is 20% (40 of 200 requests; > 10% is true)',
      'silent inactive→firing @0: the last datapoint of any ingest from checkout was 4m ago (absent after 3m)',
      'health inactive→nodata @0: no data: target checkout-health has not been probed yet; shown as nodata until data returns',
      "latency firing→nodata @10: no data: the rule's query returned nothing; shown as nodata until data returns",
      "errors firing→nodata @10: no data: the rule's query returned nothing; shown as nodata until data returns",
    ]);
  });
});
