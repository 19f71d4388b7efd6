/**
 * `npx tsx bench/alerting.bench.ts` (also part of `npm run bench`), through local mode (the real evaluator
 * handler, dynalite, the local notifier posting to a webhook on this machine):
 *
 * 1. One evaluation of 1,000 threshold rules (1,000 series of 20 services, 10% breaching), cold and warm,
 *    beside the cost of reading their data alone (the same 1,000 windowed reads through the same data
 *    adapter, 16 at once as the evaluator runs them, its series-list cache warm as in the warm run).
 * 2. A condition flapping at every evaluation for a simulated hour (60 evaluations on a pinned clock):
 *    transitions versus notifications delivered, bounded by throttling and flap detection.
 * 3. With a 5 s evaluation interval on the real clock: time from the breaching datapoint to the
 *    notification at the webhook (median of 5), against the interval itself.
 */
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vigilAlertData } from '../functions/adapters/alert-data-vigil.js';
import { documentClient } from '../functions/adapters/dynamodb.js';
import { DynamoDbRuleStore } from '../functions/adapters/dynamodb-rule-store.js';
import { DynamoDbTargetStore } from '../functions/adapters/dynamodb-target-store.js';
import { DynamoDbTelemetryReader } from '../functions/adapters/dynamodb-telemetry-reader.js';
import { eachLimited } from '../functions/core/alerting/each-limited.js';
import type { VigilMetric } from '../functions/core/alerting/rule-model.js';
import { type LocalVigil, startLocal } from '../lib/local/server.js';

const TOKEN = 'bench-admin-token-0123456789abcdef';
const RULES = 1_000;
const SERVICES = 20;
const ms = (x: number) => Math.round(x).toLocaleString('en-US');

async function start(env: Record<string, string>, clock?: () => number): Promise<LocalVigil> {
  return startLocal({
    memory: true,
    print: () => undefined,
    ...(clock ? { clock } : {}),
    env: {
      ...process.env,
      VIGIL_PORT: '0',
      VIGIL_DATA_DIR: mkdtempSync(join(tmpdir(), 'vigil-bench-')),
      VIGIL_ADMIN_TOKEN: TOKEN,
      VIGIL_CONFIG: join(tmpdir(), 'vigil-bench-no-config.json'),
      VIGIL_PROBE_INTERVAL: '3600',
      VIGIL_EVAL_INTERVAL: '3600',
      VIGIL_LOG_LEVEL: 'SILENT',
      ...env,
    },
  });
}

const api = (vigil: LocalVigil, method: string, path: string, json?: unknown) =>
  fetch(`${vigil.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
  }).then(async (r) => {
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return r.status === 204 ? undefined : r.json();
  });

async function webhook() {
  const arrivals: { at: number; message: Record<string, unknown> }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      arrivals.push({ at: performance.now(), message: JSON.parse(JSON.parse(body).Message) });
      res.end('ok');
    });
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    arrivals,
    close: () => server.close(),
  };
}

const metricOf = (i: number): VigilMetric => ({
  source: 'vigil',
  service: `svc-${i % SERVICES}`,
  name: `bench.latency.${i}`,
  stat: 'avg',
  tags: {},
  match: [],
  groupBy: [],
});

async function thousandRules(): Promise<string[]> {
  const vigil = await start({});
  try {
    const env = vigil.environmentOf('evaluator');
    const db = documentClient({ endpoint: env.VIGIL_DYNAMODB_ENDPOINT! });
    const now = Date.now();
    for (let s = 0; s < SERVICES; s++) {
      const metrics = [];
      for (let i = s; i < RULES; i += SERVICES) {
        const breaching = i % 10 === 0;
        metrics.push({
          name: `bench.latency.${i}`,
          type: 'gauge',
          value: breaching ? 900 : 100,
          timestamp: now - 30_000,
        });
      }
      await api(vigil, 'POST', '/v1/ingest', { service: `svc-${s}`, metrics });
    }
    const rules = new DynamoDbRuleStore(db, env.VIGIL_TABLE_ALERTS!);
    await eachLimited(
      Array.from({ length: RULES }, (_, i) => i),
      16,
      (i) =>
        rules.put({
          id: `bench-${i}`,
          definition: {
            type: 'threshold',
            metric: { service: `svc-${i % SERVICES}`, name: `bench.latency.${i}` },
            op: '>',
            value: 500,
            window: '5m',
            for: '5m',
          },
          origin: 'api',
          createdAt: now,
          updatedAt: now,
        }),
    );
    const timed = async () => {
      const t = performance.now();
      await vigil.runSchedule('evaluator');
      return performance.now() - t;
    };
    const cold = await timed();
    const warm = await timed();
    const data = vigilAlertData({
      reader: new DynamoDbTelemetryReader(db, env.VIGIL_TABLE_TELEMETRY!, Date.now),
      targets: new DynamoDbTargetStore(db, env.VIGIL_TABLE_PROBES!),
      stepSeconds: 60,
      now: Date.now,
    });
    // Read twice, as the evaluator's warm run reads: the first fills the adapter's series-list cache.
    const readAll = () =>
      eachLimited(
        Array.from({ length: RULES }, (_, i) => i),
        16,
        (i) => data.windowStat(metricOf(i), Date.now() - 300_000, Date.now()),
      );
    await readAll();
    const t = performance.now();
    const read = await readAll();
    const dataAlone = performance.now() - t;
    const pending = ((await api(vigil, 'GET', '/v1/alerts?state=pending')) as { items: unknown[] }).items.length;
    return [
      `| ${RULES} rules, ${read.filter((r) => r.length > 0).length} with data, ${pending} pending | ${ms(cold)} | ${ms(warm)} | ${ms(dataAlone)} | ${(warm / dataAlone).toFixed(2)}× |`,
    ];
  } finally {
    await vigil.close();
  }
}

async function flappingHour(): Promise<string[]> {
  const hook = await webhook();
  let now = Date.now();
  const vigil = await start({ VIGIL_WEBHOOKS: hook.url }, () => now);
  try {
    await api(vigil, 'POST', '/v1/ingest', {
      service: 'flappy',
      metrics: [{ name: 'queue.depth', type: 'gauge', value: 1, timestamp: now }],
    });
    await api(vigil, 'PUT', '/v1/rules/flappy', {
      type: 'threshold',
      severity: 'warning',
      metric: { service: 'flappy', name: 'queue.depth', stat: 'max' },
      op: '>',
      value: 50,
      window: '1m',
      for: '0s',
      groupWait: '0s',
    });
    for (let i = 0; i < 60; i++) {
      now += 60_000;
      await api(vigil, 'POST', '/v1/ingest', {
        service: 'flappy',
        metrics: [{ name: 'queue.depth', type: 'gauge', value: i % 2 === 0 ? 100 : 1, timestamp: now - 1_000 }],
      });
      await vigil.runSchedule('evaluator');
    }
    const [alert] = ((await api(vigil, 'GET', '/v1/alerts?state=firing')) as { items: { id: string }[] }).items.concat(
      ((await api(vigil, 'GET', '/v1/alerts?state=resolved')) as { items: { id: string }[] }).items,
    );
    const detail = (await api(vigil, 'GET', `/v1/alerts/${encodeURIComponent(alert?.id ?? '')}`)) as {
      transitions: unknown[];
      notifications: { status: string; kind: string }[];
    };
    const kinds = hook.arrivals.map((a) => String(a.message.kind));
    return [
      `| 60 evaluations, the condition flipping at each | ${detail.transitions.length} | ${detail.notifications.length} | ${hook.arrivals.length} (${[...new Set(kinds)].join(', ')}) |`,
    ];
  } finally {
    await vigil.close();
    hook.close();
  }
}

async function breachToWebhook(): Promise<string[]> {
  const hook = await webhook();
  const vigil = await start({ VIGIL_WEBHOOKS: hook.url, VIGIL_EVAL_INTERVAL: '5' });
  try {
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const service = `live-${i}`;
      await api(vigil, 'POST', '/v1/ingest', { service, metrics: [{ name: 'errors', type: 'gauge', value: 0 }] });
      await api(vigil, 'PUT', `/v1/rules/${service}`, {
        type: 'threshold',
        metric: { service, name: 'errors', stat: 'max' },
        op: '>',
        value: 10,
        window: '1m',
        for: '0s',
        groupWait: '0s',
      });
      const before = hook.arrivals.length;
      const t = performance.now();
      await api(vigil, 'POST', '/v1/ingest', { service, metrics: [{ name: 'errors', type: 'gauge', value: 50 }] });
      while (!hook.arrivals.slice(before).some((a) => (a.message.alert as { rule?: string })?.rule === service))
        await new Promise((r) => setTimeout(r, 20));
      latencies.push(hook.arrivals.at(-1)!.at - t);
    }
    latencies.sort((a, b) => a - b);
    return [`| 5 s | ${ms(latencies[2]!)} | ${ms(latencies[0]!)} | ${ms(latencies[4]!)} |`];
  } finally {
    await vigil.close();
    hook.close();
  }
}

const out = [
  '| evaluation | run, cold (ms) | run, warm (ms) | reading the data alone (ms) | warm ÷ data alone |',
  '|---|---:|---:|---:|---:|',
  ...(await thousandRules()),
  '',
  '| simulated hour | transitions | notification records | delivered at the webhook |',
  '|---|---:|---:|---:|',
  ...(await flappingHour()),
  '',
  '| local evaluation interval | breach → webhook, median (ms) | min | max |',
  '|---|---:|---:|---:|',
  ...(await breachToWebhook()),
];
process.stdout.write(`${out.join('\n')}\n`);
process.exit(0);
