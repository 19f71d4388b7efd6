import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../functions/adapters/dynamodb.js';
import { DynamoDbTelemetryWriter } from '../functions/adapters/dynamodb-telemetry-writer.js';
import { ingest } from '../functions/core/telemetry/ingest.js';
import { DEFAULT_LIMITS } from '../functions/core/telemetry/limits.js';
import type { TelemetryWriter } from '../functions/core/telemetry/ports.js';
import { validateBatch } from '../functions/core/telemetry/validate-batch.js';
import { requestBatchId, unboundedScope } from '../functions/core/telemetry/write-scope.js';
import { startLocalDynamo } from '../lib/local/dynamo.js';
import { startLocal } from '../lib/local/server.js';

/**
 * `npx tsx bench/ingest.bench.ts` — (a) CPU per datapoint of the ingest path beside JSON.parse of the same
 * payload (the floor), (b) DynamoDB writes per datapoint for realistic batches, (c) datapoints per second
 * end to end through local mode, beside what dynalite alone does in the same run.
 */
const now = Date.now();
const ROUTES = [
  '/cart',
  '/checkout',
  '/product/{id}',
  '/search',
  '/login',
  '/orders',
  '/health',
  '/profile',
  '/api/items',
  '/api/pay',
];

/** What the SDK sends per flush: request counters per route × status class, one duration histogram per route. */
function sdkBatch(valuesPerHistogram: number, seed = 0) {
  const metrics: unknown[] = [];
  for (const route of ROUTES) {
    for (const status of ['2xx', '4xx', '5xx']) {
      metrics.push({
        name: 'http.server.requests',
        type: 'counter',
        value: 1 + ((seed + route.length) % 9),
        tags: { method: 'GET', route, status_class: status },
        timestamp: now,
      });
    }
    const values = Array.from({ length: valuesPerHistogram }, (_, i) => 5 + ((i * 7919 + seed) % 500) / 3);
    metrics.push({
      name: 'http.server.duration',
      type: 'histogram',
      unit: 'ms',
      values,
      tags: { method: 'GET', route },
      timestamp: now,
    });
  }
  return { service: 'bench', environment: 'production', version: '1.0.0', metrics };
}
const datapoints = (batch: ReturnType<typeof sdkBatch>) =>
  batch.metrics.reduce<number>((n, m) => n + ((m as { values?: unknown[] }).values?.length ?? 1), 0);

const nullWriter: TelemetryWriter = {
  admitSeries: async (_s, series) => new Set(series.map((x) => x.id)),
  applyRollups: async () => undefined,
  putLogs: async () => undefined,
  putSpans: async () => undefined,
  recordErrors: async () => undefined,
  admitService: async () => undefined,
  applySummary: async () => undefined,
};

function cpuMicros(fn: () => unknown, rounds: number): number {
  for (let i = 0; i < Math.min(rounds, 20); i++) fn(); // warm up the JIT
  const start = process.cpuUsage();
  for (let i = 0; i < rounds; i++) fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / rounds;
}

async function cpuSection() {
  console.log('#### (a) CPU per datapoint: ingest path vs JSON.parse (floor)\n');
  console.log('| batch | datapoints | bytes | JSON.parse µs/dp | ingest path µs/dp | ratio |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const [label, values] of [
    ['SDK flush, 10 values/histogram', 10],
    ['SDK flush, 200 values/histogram', 200],
  ] as const) {
    const batch = sdkBatch(values);
    const text = JSON.stringify(batch);
    const n = datapoints(batch);
    const rounds = Math.max(50, Math.floor(200_000 / n));
    const floor = cpuMicros(() => JSON.parse(text), rounds);
    // The ingest path's own CPU: parse, validate, normalise, fold into rollups, plan writes (storage stubbed out).
    const path = async () =>
      ingest(validateBatch(JSON.parse(text), { now, limits: DEFAULT_LIMITS }), {
        writer: nullWriter,
        limits: DEFAULT_LIMITS,
        now,
        scope: unboundedScope(requestBatchId('fresh')),
      });
    for (let i = 0; i < 20; i++) await path();
    const start = process.cpuUsage();
    for (let i = 0; i < rounds; i++) await path();
    const used = process.cpuUsage(start);
    const full = (used.user + used.system) / rounds;
    console.log(
      `| ${label} | ${n} | ${text.length} | ${(floor / n).toFixed(3)} | ${(full / n).toFixed(3)} | ${(full / floor).toFixed(1)}× |`,
    );
  }
}

async function writesSection() {
  console.log(
    '\n#### (b) DynamoDB writes per datapoint (real adapter on dynalite, steady state: series already registered)\n',
  );
  const dynamo = await startLocalDynamo({});
  const client = documentClient({ endpoint: dynamo.endpoint });
  let writes = 0;
  client.middlewareStack.add(
    (next, ctx) => async (args) => {
      if (/Update|Put|BatchWrite/.test(String(ctx.commandName))) writes++;
      return next(args);
    },
    { step: 'initialize' },
  );
  const writer = new DynamoDbTelemetryWriter(client, dynamo.tables.telemetry, {
    metricsDays: 30,
    logsDays: 7,
    spansDays: 7,
    errorsDays: 30,
  });
  console.log('| batch | datapoints | write requests | writes per datapoint |');
  console.log('|---|---:|---:|---:|');
  const run = async (batch: unknown) => {
    writes = 0;
    const t = Date.now();
    await ingest(validateBatch(batch, { now: t, limits: DEFAULT_LIMITS }), {
      writer,
      limits: DEFAULT_LIMITS,
      now: t,
      scope: unboundedScope(requestBatchId('fresh')),
    });
    return writes;
  };
  for (const [label, values] of [
    ['SDK flush (30 counters + 10 histograms × 10 values)', 10],
    ['SDK flush (30 counters + 10 histograms × 200 values)', 200],
  ] as const) {
    await run(sdkBatch(values, 1)); // first sight: registers series
    const w = await run(sdkBatch(values, 2));
    const n = datapoints(sdkBatch(values));
    console.log(`| ${label} | ${n} | ${w} | ${(w / n).toFixed(4)} |`);
  }
  const logs = {
    service: 'bench',
    logs: Array.from({ length: 500 }, (_, i) => ({ message: `log ${i}`, level: 'info' })),
  };
  const w = await run(logs);
  console.log(`| 500 logs | 500 | ${w} | ${(w / 500).toFixed(4)} |`);
  client.destroy();
  await dynamo.close();
}

async function endToEndSection() {
  console.log('\n#### (c) End to end through local mode (HTTP → handler → dynalite)\n');
  const vigil = await startLocal({
    memory: true,
    env: {
      ...process.env,
      VIGIL_PORT: '0',
      VIGIL_ADMIN_TOKEN: 'bench',
      VIGIL_LOG_LEVEL: 'SILENT',
      VIGIL_PROBE_INTERVAL: '3600',
      VIGIL_EVAL_INTERVAL: '3600',
      VIGIL_CONFIG: '/nonexistent',
    },
    print: () => undefined,
  });
  const post = (body: unknown) =>
    fetch(`${vigil.url}/v1/ingest`, {
      method: 'POST',
      headers: { authorization: 'Bearer bench', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  await post(sdkBatch(200, 0));
  const seconds = 8;
  const until = Date.now() + seconds * 1_000;
  let points = 0;
  let batches = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; Date.now() < until; i++) {
        const b = sdkBatch(200, w * 1_000 + i);
        const res = await post(b);
        if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
        points += datapoints(b);
        batches++;
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1_000;
  // The peer: single UpdateItem calls straight to the same dynalite, 16 at a time, for 3 s.
  // Local mode points the handlers at its dynalite through the environment; the peer uses the same one.
  const db = documentClient({ endpoint: process.env.VIGIL_DYNAMODB_ENDPOINT! });
  let updates = 0;
  const peerUntil = Date.now() + 3_000;
  await Promise.all(
    Array.from({ length: 16 }, async (_, w) => {
      while (Date.now() < peerUntil) {
        await db.send(
          new UpdateCommand({
            TableName: process.env.VIGIL_TABLE_TELEMETRY!,
            Key: { pk: `bench#${w}`, sk: 'x' },
            UpdateExpression: 'ADD c :one',
            ExpressionAttributeValues: { ':one': 1 },
          }),
        );
        updates++;
      }
    }),
  );
  db.destroy();
  await vigil.close();
  const writesPerBatch = 40;
  console.log('| measure | value |');
  console.log('|---|---:|');
  console.log(
    `| batches (SDK flush, 2,030 datapoints each, 4 concurrent clients) | ${batches} in ${elapsed.toFixed(1)} s |`,
  );
  console.log(`| datapoints per second through Vigil | ${Math.round(points / elapsed).toLocaleString('en-US')} |`);
  console.log(
    `| rollup writes per second that implies (${writesPerBatch} per batch) | ${Math.round((batches * writesPerBatch) / elapsed)} |`,
  );
  console.log(`| dynalite alone: single UpdateItem per second (16 concurrent) | ${Math.round(updates / 3)} |`);
}

await cpuSection();
await writesSection();
await endToEndSection();
process.exit(0);
