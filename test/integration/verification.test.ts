import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Context, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamodb.js';
import { DynamoDbTelemetryReader } from '../../functions/adapters/dynamodb-telemetry-reader.js';
import { DynamoDbVerificationStore } from '../../functions/adapters/dynamodb-verification-store.js';
import { DynamoDbVersionTelemetry } from '../../functions/adapters/dynamodb-version-telemetry.js';
import { VerificationDeployWindows } from '../../functions/adapters/verification-delivery.js';
import { functionEnvironment } from '../../functions/catalog/environment.js';
import { parse } from '../../functions/core/validate.js';
import type { StepMessage } from '../../functions/core/verification/ports.js';
import { newVerification } from '../../functions/core/verification/record.js';
import { verificationRequestSchema } from '../../functions/core/verification/request-schema.js';
import { createHandler as createWorker } from '../../functions/verify-worker/handler.js';
import { type LocalDynamo, startLocalDynamo } from '../../lib/local/dynamo.js';
import { lambdaContext } from '../../lib/local/lambda-context.js';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';

/** The verification store and per-version reads against dynalite through the real SDK; SNS and CloudWatch mocked. */
let dynamo: LocalDynamo;
let store: DynamoDbVerificationStore;
const T0 = Date.UTC(2026, 11, 2, 12, 0, 0);
const schema = verificationRequestSchema(1);
const request = (
  service: string,
  environment = 'staging',
  checks: Record<string, unknown> = { metrics: { required: ['a'] } },
) => parse(schema, { service, environment, version: '2.0.0', checks });

beforeAll(async () => {
  dynamo = await startLocalDynamo({});
  store = new DynamoDbVerificationStore(
    documentClient({ endpoint: dynamo.endpoint }),
    dynamo.tables.deployments,
    90,
    () => T0,
  );
});
afterAll(() => dynamo?.close());

describe('DynamoDbVerificationStore', () => {
  it('creates once, writes only on the revision read, and round-trips the record', async () => {
    const r = newVerification('11111111-1111-4111-8111-111111111111', request('checkout'), T0);
    expect(await store.create(r)).toBe('created');
    expect(await store.create(r)).toBe('exists');
    const read = await store.get(r.id);
    expect(read).toEqual(r);
    expect(await store.put({ ...read!, step: 1 })).toBe('written');
    expect(await store.put({ ...read!, step: 2 })).toBe('conflict');
    expect(await store.get(r.id)).toMatchObject({ step: 1, rev: 1 });
  });

  it('lists a service newest first with a cursor, filters by environment, lists all, and finds the running ones', async () => {
    const ids = [0, 1, 2].map((i) => `2222222${i}-2222-4222-8222-222222222222`);
    for (const [i, id] of ids.entries()) {
      await store.create(newVerification(id, request('cart', i === 1 ? 'prod' : 'staging'), T0 + i * 1_000));
    }
    const first = await store.list({ service: 'cart', limit: 2 });
    expect(first.items.map((r) => r.id)).toEqual([ids[2], ids[1]]);
    const second = await store.list({ service: 'cart', limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((r) => r.id)).toEqual([ids[0]]);
    const staging = await store.list({ service: 'cart', environment: 'staging', limit: 10 });
    expect(staging.items.map((r) => r.id)).toEqual([ids[2], ids[0]]);
    const all = await store.list({ limit: 10 });
    expect(all.items.map((r) => r.id)).toEqual([ids[2], ids[1], ids[0], '11111111-1111-4111-8111-111111111111']);
    const done = await store.get(ids[0]!);
    await store.put({ ...done!, status: 'done' });
    const windows = await new VerificationDeployWindows(store).active('cart', T0 + 5_000);
    expect(windows).toEqual([
      { verificationId: ids[2], version: '2.0.0', environment: 'staging', startedAt: T0 + 2_000 },
      { verificationId: ids[1], version: '2.0.0', environment: 'prod', startedAt: T0 + 1_000 },
    ]);
    const ended = await store.get(ids[1]!);
    await store.put({ ...ended!, status: 'done', verdict: { ...ended!.verdict!, decidedAt: T0 + 1_500 } as never });
    expect(await new VerificationDeployWindows(store).between('cart', T0 + 1_800, T0 + 9_000)).toEqual([
      { start: T0, end: T0 + 9_000 },
      { start: T0 + 2_000, end: T0 + 9_000 },
    ]);
  });
});

describe('per-version reads of the rollups (data sent through the ingestion API)', () => {
  let vigil: TestVigil;
  beforeAll(async () => {
    vigil = await startTestVigil({ VIGIL_ROLLUP_STEP_SECONDS: '10' });
  });
  afterAll(() => vigil?.close());

  it('separates versions, counts error series, and sums counters', async () => {
    const now = Date.now();
    const batch = (version: string, metrics: unknown[]) =>
      vigil.request('/v1/ingest', {
        method: 'POST',
        json: { service: 'pay', environment: 'staging', version, metrics },
      });
    expect(
      (
        await batch('1.0.0', [
          { name: 'http.server.duration', type: 'histogram', unit: 'ms', values: [100, 110, 120], timestamp: now },
          { name: 'errors', type: 'counter', value: 2, timestamp: now },
        ])
      ).status,
    ).toBe(202);
    expect(
      (
        await batch('2.0.0', [
          { name: 'http.server.duration', type: 'histogram', unit: 'ms', values: [200, 210], timestamp: now },
          {
            name: 'http.server.duration',
            type: 'histogram',
            unit: 'ms',
            values: [900],
            tags: { 'http.response.status_code': '503' },
            timestamp: now,
          },
        ])
      ).status,
    ).toBe(202);
    const env = vigil.environmentOf('verifyWorker');
    const reader = new DynamoDbTelemetryReader(
      documentClient({ endpoint: env.VIGIL_DYNAMODB_ENDPOINT }),
      env.VIGIL_TABLE_TELEMETRY!,
      Date.now,
    );
    const t = new DynamoDbVersionTelemetry(reader, 10);
    const f = { service: 'pay', environment: 'staging', from: now - 1_000, to: now + 1_000 };
    const canary = await t.histogram('http.server.duration', { ...f, version: '2.0.0' });
    expect(canary).toMatchObject({ count: 3, errors: 1 });
    expect(canary.values.map((x) => Math.round(x / 10) * 10)).toEqual([200, 210, 900]);
    expect((await t.histogram('http.server.duration', f)).count).toBe(6);
    expect(await t.total('errors', { ...f, version: '1.0.0' })).toBe(2);
    expect(await t.total('errors', { ...f, version: '2.0.0' })).toBe(0);
    expect(await t.hasData('http.server.duration', { ...f, environment: 'prod' })).toBe(false);
  });
});

describe('the worker: exact SNS and CloudWatch commands', () => {
  const sns = mockClient(SNSClient);
  const cw = mockClient(CloudWatchClient);
  afterEach(() => {
    sns.reset();
    cw.reset();
  });
  const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:vigil-test-deployments';

  function worker(sent: StepMessage[], clock: () => number) {
    const env = functionEnvironment('verifyWorker', {
      tables: dynamo.tables,
      topics: { deployments: TOPIC },
      settings: {
        VIGIL_DYNAMODB_ENDPOINT: dynamo.endpoint,
        VIGIL_NOTIFIER: 'sns',
        VIGIL_VERIFY_MIN_INTERVAL_SECONDS: '1',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        POWERTOOLS_METRICS_DISABLED: 'true',
      },
    });
    const handler = createWorker(env, { clock, stepQueue: { send: async (m) => void sent.push(m) } });
    return (message: StepMessage) =>
      handler(
        {
          Records: [{ messageId: 'm1', body: JSON.stringify({ vigilVerificationStep: message }) }],
        } as unknown as SQSEvent,
        lambdaContext('verifyWorker', 60) as Context,
      );
  }

  it('reads a CloudWatch metric with GetMetricData and publishes the verdict with its attributes', async () => {
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [{ Id: 'q0', Timestamps: [new Date(T0)], Values: [12.5], StatusCode: 'Complete' }],
    });
    sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
    const metric = {
      source: 'cloudwatch',
      namespace: 'AWS/Lambda',
      metricName: 'Duration',
      dimensions: { FunctionName: 'checkout', Resource: 'checkout:live' },
      stat: 'p95',
    };
    const id = '33333333-3333-4333-8333-333333333333';
    await store.create(
      newVerification(id, request('lambda-svc', 'prod', { metrics: { required: [metric], withinSeconds: 60 } }), T0),
    );
    const sent: StepMessage[] = [];
    const out = await worker(sent, () => T0 + 5_000)({ id, step: 0 });
    expect(out).toEqual({ batchItemFailures: [] });
    expect(cw.commandCalls(GetMetricDataCommand)[0]!.args[0].input).toEqual({
      MetricDataQueries: [
        {
          Id: 'q0',
          MetricStat: {
            Metric: {
              Namespace: 'AWS/Lambda',
              MetricName: 'Duration',
              Dimensions: [
                { Name: 'FunctionName', Value: 'checkout' },
                { Name: 'Resource', Value: 'checkout:live' },
              ],
            },
            Period: 60,
            Stat: 'p95',
          },
          ReturnData: true,
        },
      ],
      StartTime: new Date(T0),
      EndTime: new Date(T0 + 5_000),
      ScanBy: 'TimestampDescending',
    });
    const publish = sns.commandCalls(PublishCommand);
    expect(publish).toHaveLength(1);
    const input = publish[0]!.args[0].input;
    expect(input).toMatchObject({
      TopicArn: TOPIC,
      Subject: 'lambda-svc 2.0.0 in prod: pass',
      MessageAttributes: {
        service: { DataType: 'String', StringValue: 'lambda-svc' },
        environment: { DataType: 'String', StringValue: 'prod' },
        verdict: { DataType: 'String', StringValue: 'pass' },
      },
    });
    expect(JSON.parse(input.Message!)).toMatchObject({
      type: 'vigil.verification',
      id,
      topic: 'deployments',
      verdict: 'pass',
      rollback: false,
    });
    expect(await store.get(id)).toMatchObject({
      status: 'done',
      deliveries: { deployments: { state: 'sent', detail: 'sns-1' } },
    });
    expect(sent).toEqual([]);
  });

  it('a failed publish is retried from a later step, and a second delivery of a step does nothing', async () => {
    sns.on(PublishCommand).rejectsOnce(new Error('throttled')).resolves({ MessageId: 'sns-2' });
    const id = '44444444-4444-4444-8444-444444444444';
    await store.create(newVerification(id, request('retry-svc'), T0));
    let now = T0;
    const sent: StepMessage[] = [];
    const run = worker(sent, () => now);
    await run({ id, step: 0 }); // metrics missing: still running
    now = T0 + 301_000;
    await run({ id, step: 1 }); // window over: fail; the publish fails
    expect(await store.get(id)).toMatchObject({
      verdict: { verdict: 'fail' },
      deliveries: { deployments: { state: 'pending', attempts: 1, lastError: 'throttled' } },
    });
    await run({ id, step: 1 });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    now += 10_000;
    await run({ id, step: 2 });
    expect(await store.get(id)).toMatchObject({
      deliveries: { deployments: { state: 'sent', attempts: 2, detail: 'sns-2' } },
    });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
  });
});

describe('SignedWebhookSender', () => {
  it('signs the body, reports a non-2xx answer, and never reaches a refused address', async () => {
    const { createServer } = await import('node:http');
    const { GuardedHttpClient } = await import('../../functions/adapters/guarded-http.js');
    const { SignedWebhookSender, signBody } = await import('../../functions/adapters/signed-webhook.js');
    const seen: { signature?: string; delivery?: string; body: string }[] = [];
    let status = 500;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        seen.push({
          signature: req.headers['x-vigil-signature'] as string,
          delivery: req.headers['x-vigil-delivery'] as string,
          body,
        });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
    const secret = 'webhook-secret-0123456789';
    const sender = new SignedWebhookSender(
      new GuardedHttpClient({ policy: { allowPrivate: true } }),
      async () => secret,
    );
    expect(await sender.post(url, '{"verdict":"fail"}', 'v-1')).toEqual({
      ok: false,
      detail: 'the webhook answered status 500',
    });
    status = 204;
    expect(await sender.post(url, '{"verdict":"fail"}', 'v-1')).toEqual({ ok: true, detail: 'status 204' });
    expect(seen[1]).toEqual({
      signature: signBody('{"verdict":"fail"}', secret),
      delivery: 'v-1',
      body: '{"verdict":"fail"}',
    });
    expect(signBody('{"verdict":"fail"}', secret)).toMatch(/^sha256=[0-9a-f]{64}$/);
    const strict = new SignedWebhookSender(
      new GuardedHttpClient({ policy: { allowPrivate: false } }),
      async () => secret,
    );
    const refused = await strict.post(url, '{}', 'v-2');
    expect(refused.ok).toBe(false);
    expect(refused.detail).toMatch(/loopback|private|not allowed/i);
    const unsigned = new SignedWebhookSender(
      new GuardedHttpClient({ policy: { allowPrivate: true } }),
      async () => undefined,
    );
    expect((await unsigned.post(url, '{}', 'v-3')).detail).toBe(
      'VIGIL_VERIFY_WEBHOOK_SECRET is not set, so the webhook cannot be signed',
    );
    expect(seen).toHaveLength(2);
    await new Promise<void>((r) => server.close(() => r()));
  });
});
