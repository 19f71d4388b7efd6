/**
 * `npx tsx bench/verification.bench.ts` (also part of `npm run bench`): what one whole verification costs — a
 * 10-minute canary (60 s looks) with health, metrics and performance checks and new errors — in worker steps
 * (SQS messages and Lambda invocations) and DynamoDB requests and items, counted on the real adapters against
 * dynalite. Telemetry (two versions, one minute of traffic per minute) goes in through the ingestion API of an
 * in-process local mode; the verification's clock is simulated and jumps to each step's due time, so the run
 * takes seconds, not ten minutes. Counts, not timings: they do not depend on the machine.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { documentClient } from '../functions/adapters/dynamodb.js';
import { DynamoDbTelemetryReader } from '../functions/adapters/dynamodb-telemetry-reader.js';
import { DynamoDbVerificationStore } from '../functions/adapters/dynamodb-verification-store.js';
import { DynamoDbVersionTelemetry } from '../functions/adapters/dynamodb-version-telemetry.js';
import { HttpProber } from '../functions/adapters/http-prober.js';
import { ProberHealthCheck } from '../functions/adapters/verification-delivery.js';
import { parse } from '../functions/core/validate.js';
import type { StepMessage } from '../functions/core/verification/ports.js';
import { verificationRequestSchema } from '../functions/core/verification/request-schema.js';
import { type FlowDeps, runStep, startVerification } from '../functions/core/verification/run-step.js';
import { startTestVigil } from '../test/support/local-vigil.js';

const MINUTES = 10;
const PER_MINUTE = 600; // requests per version per minute
const service = 'bench-checkout';

const health = createServer((_req, res) =>
  res.writeHead(200, { 'content-type': 'application/health+json' }).end('{"status":"pass"}'),
);
await new Promise<void>((r) => health.listen(0, '127.0.0.1', () => r()));
const healthUrl = `http://127.0.0.1:${(health.address() as AddressInfo).port}`;

const vigil = await startTestVigil({ VIGIL_ROLLUP_STEP_SECONDS: '60' });
const T0 = Math.floor((Date.now() - 20 * 60_000) / 60_000) * 60_000;
const lat = (median: number, i: number) => Math.round(median * (0.7 + (0.6 * ((i * 7919) % PER_MINUTE)) / PER_MINUTE));
for (let m = -5; m < MINUTES + 1; m++) {
  for (const version of ['1.4.1', '1.4.2']) {
    if (m < 0 && version === '1.4.2') continue;
    const values = Array.from({ length: PER_MINUTE }, (_, i) => lat(version === '1.4.2' ? 214 : 212, i));
    const res = await vigil.request('/v1/ingest', {
      method: 'POST',
      json: {
        service,
        environment: 'prod',
        version,
        metrics: [
          { name: 'http.server.duration', type: 'histogram', unit: 'ms', values, timestamp: T0 + m * 60_000 + 1_000 },
          { name: 'errors', type: 'counter', value: 1, timestamp: T0 + m * 60_000 + 1_000 },
        ],
      },
    });
    if (res.status !== 202) throw new Error(`ingest ${res.status}`);
  }
}

const env = vigil.environmentOf('verifyWorker');
const db = documentClient({ endpoint: env.VIGIL_DYNAMODB_ENDPOINT });
const calls = new Map<string, number>();
let itemsRead = 0;
db.middlewareStack.add(
  (next, context) => async (args) => {
    calls.set(context.commandName ?? '?', (calls.get(context.commandName ?? '?') ?? 0) + 1);
    const out = await next(args);
    const o = out.output as { Items?: unknown[]; Item?: unknown; Responses?: Record<string, unknown[]> };
    itemsRead += (o.Items?.length ?? 0) + (o.Item ? 1 : 0) + Object.values(o.Responses ?? {}).flat().length;
    return out;
  },
  { step: 'initialize', name: 'benchCount' },
);
let clock = T0;
const now = () => clock;
const messages: { message: StepMessage; delay: number }[] = [];
const telemetry = new DynamoDbVersionTelemetry(new DynamoDbTelemetryReader(db, env.VIGIL_TABLE_TELEMETRY!, now), 60);
const deps: FlowDeps = {
  store: new DynamoDbVerificationStore(db, env.VIGIL_TABLE_DEPLOYMENTS!, 90, now),
  queue: { send: async (message, delay) => void messages.push({ message, delay }) },
  publisher: { publish: async () => ({ ok: true, detail: 'bench' }) },
  webhook: { post: async () => ({ ok: true, detail: 'bench' }) },
  telemetry,
  cloudwatch: { series: async () => ({ timestamps: [], values: [] }) },
  errors: telemetry,
  // This verification asks for no errorBudget check: the SLO is never read.
  slo: { burn: async () => ({ unknown: true, reason: 'not read by this benchmark' }) },
  prober: new ProberHealthCheck(new HttpProber({ policy: { allowPrivate: true } })),
  alerts: undefined,
  now,
  options: { minIntervalMs: 10_000 },
};

const request = parse(verificationRequestSchema(10), {
  service,
  environment: 'prod',
  version: '1.4.2',
  deployUrl: healthUrl,
  checks: {
    health: { consecutivePasses: 3, intervalSeconds: 10 },
    metrics: { required: ['http.server.duration'], withinSeconds: 300 },
    performance: { maxP95Ms: 800, maxRegressionPct: 20, windowSeconds: 300 },
    canary: {
      baselineVersion: '1.4.1',
      metrics: [
        { name: 'http.server.duration', allowedIncreasePct: 10 },
        { name: 'errors', kind: 'count', critical: true },
      ],
      intervalSeconds: 60,
      durationSeconds: MINUTES * 60,
    },
    newErrors: {},
  },
});
const id = '00000000-0000-4000-8000-00000000be0c';
await startVerification(id, request, deps);
let steps = 0;
while (messages.length > 0) {
  const { message, delay } = messages.shift()!;
  clock += delay * 1_000;
  await runStep(message, deps);
  steps++;
}
const record = await deps.store.get(id);
const count = (names: string[]) => names.reduce((a, n) => a + (calls.get(n) ?? 0), 0);
const rows: [string, string | number][] = [
  ['verdict', `${record?.verdict?.verdict} (score ${record?.verdict?.score})`],
  ['steps (SQS messages = worker invocations)', steps],
  ['DynamoDB read requests (Get/Query/BatchGet)', count(['GetItemCommand', 'QueryCommand', 'BatchGetItemCommand'])],
  ['  of which Query', count(['QueryCommand'])],
  ['DynamoDB items read', itemsRead],
  ['DynamoDB write requests (Put/Update)', count(['PutItemCommand', 'UpdateItemCommand'])],
  ['record size (bytes, JSON)', JSON.stringify(record).length],
];
process.stdout.write('| one verification, 10-minute canary | count |\n| --- | --- |\n');
for (const [k, v] of rows) process.stdout.write(`| ${k} | ${v} |\n`);
await vigil.close();
health.close();
