import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamodb.js';
import { DynamoDbAlertStore } from '../../functions/adapters/dynamodb-alert-store.js';
import { DynamoDbOutboxStore } from '../../functions/adapters/dynamodb-outbox-store.js';
import { DynamoDbPipelineState } from '../../functions/adapters/dynamodb-pipeline-state.js';
import { DynamoDbSilenceStore } from '../../functions/adapters/dynamodb-silence-store.js';
import { SnsNotifier } from '../../functions/adapters/sns-notifier.js';
import { SqsDeadLetters } from '../../functions/adapters/sqs-dead-letters.js';
import { type EvaluationDeps, runEvaluation } from '../../functions/core/alerting/run-evaluation.js';
import { startLocalDynamo } from '../../lib/local/dynamo.js';
import { scriptedEvaluator } from '../support/scripted-evaluator.js';
import { rule } from '../unit/alerting/pipeline-fixtures.js';

/**
 * Issue #12 item 5: two evaluators racing on the same alerts against dynalite send exactly one
 * notification per transition, and SNS failing for ten evaluations loses nothing and sends nothing twice.
 * DynamoDB is real (dynalite through the SDK); SNS and SQS are aws-sdk-client-mock.
 */
const sns = mockClient(SNSClient);
const sqs = mockClient(SQSClient);
afterEach(() => {
  sns.reset();
  sqs.reset();
});

const T0 = Date.UTC(2026, 11, 2, 12, 0, 0);
const MIN = 60_000;
const ARNS = {
  critical: 'arn:aws:sns:eu-west-1:123456789012:vigil-test-critical',
  warning: 'arn:aws:sns:eu-west-1:123456789012:vigil-test-warning',
  info: 'arn:aws:sns:eu-west-1:123456789012:vigil-test-info',
  escalation: 'arn:aws:sns:eu-west-1:123456789012:vigil-test-escalation',
};
const DLQ = 'https://sqs.eu-west-1.amazonaws.com/123456789012/vigil-test-dead-letters';

/** Each scenario gets its own dynalite, the real stores over it, and SNS/SQS clients that the mocks answer. */
async function world(
  prefix: string,
  condition: (alertId: string, now: number) => boolean,
  clock: () => number,
  rules = [
    rule({ id: 'latency', throttlePeriodMs: 0 }),
    rule({ id: 'errors', severity: 'warning', throttlePeriodMs: 0 }),
  ],
) {
  const fresh = await startLocalDynamo({ prefix: `${prefix}-` });
  const db = documentClient({ endpoint: fresh.endpoint });
  const alerts = [
    { id: 'latency:checkout', ruleId: 'latency', service: 'checkout' },
    { id: 'latency:cart', ruleId: 'latency', service: 'cart' },
    { id: 'errors:search', ruleId: 'errors', service: 'search' },
  ];
  const deps = (): EvaluationDeps => ({
    evaluator: scriptedEvaluator(rules, alerts, condition),
    alerts: new DynamoDbAlertStore(db, fresh.tables.alerts),
    outbox: new DynamoDbOutboxStore(db, fresh.tables.alerts),
    pipelineState: new DynamoDbPipelineState(db, fresh.tables.alerts),
    silences: new DynamoDbSilenceStore(db, fresh.tables.alerts),
    deployWindows: { active: async () => [] },
    targets: { list: async () => [] },
    notifier: new SnsNotifier(new SNSClient({ region: 'eu-west-1' }), ARNS),
    deadLetters: new SqsDeadLetters(new SQSClient({ region: 'eu-west-1' }), DLQ),
    now: clock,
  });
  return {
    dynamo: fresh,
    outbox: new DynamoDbOutboxStore(db, fresh.tables.alerts),
    alerts: new DynamoDbAlertStore(db, fresh.tables.alerts),
    silences: new DynamoDbSilenceStore(db, fresh.tables.alerts),
    deps,
  };
}

/** The `notificationId` attribute of every Publish sent, successful or not. */
const published = () =>
  sns.commandCalls(PublishCommand).map((c) => c.args[0].input.MessageAttributes?.notificationId?.StringValue);

describe('exactly one notification per transition', () => {
  it('two evaluators racing on the same alerts, every minute for 20 minutes', async () => {
    let now = T0;
    // Each alert fires and resolves on its own schedule (minutes): several transitions each.
    const schedule: Record<string, [number, number][]> = {
      'latency:checkout': [
        [0, 7],
        [12, 20],
      ],
      'latency:cart': [
        [0, 3],
        [9, 14],
      ],
      'errors:search': [[2, 11]],
    };
    const condition = (id: string, t: number) =>
      (schedule[id] ?? []).some(([from, to]) => t >= T0 + from * MIN && t < T0 + to * MIN);
    const w = await world('race', condition, () => now);
    sns
      .on(PublishCommand)
      .callsFake((input) => ({ MessageId: `m-${input.MessageAttributes.notificationId.StringValue}` }));
    try {
      let conflicts = 0;
      for (let minute = 0; minute <= 22; minute++) {
        now = T0 + minute * MIN;
        const [a, b] = await Promise.all([runEvaluation(w.deps()), runEvaluation(w.deps())]);
        conflicts += a.conflicts + b.conflicts;
      }
      // The races happened: the losing evaluator's writes were refused.
      expect(conflicts).toBeGreaterThan(0);
      const log = (await w.outbox.list({ limit: 200, now })).items;
      const transitions = [
        'latency:checkout#1',
        'latency:checkout#2',
        'latency:checkout#3',
        'latency:checkout#4',
        'latency:cart#1',
        'latency:cart#2',
        'latency:cart#3',
        'latency:cart#4',
        'errors:search#1',
        'errors:search#2',
      ];
      expect(log.map((r) => r.id).sort()).toEqual([...transitions].sort());
      expect(log.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
      // One Publish per transition, to the topic of the alert's severity.
      expect(published().sort()).toEqual([...transitions].sort());
      const topics = new Map(
        sns
          .commandCalls(PublishCommand)
          .map((c) => [c.args[0].input.MessageAttributes?.notificationId?.StringValue, c.args[0].input.TopicArn]),
      );
      expect(topics.get('errors:search#1')).toBe(ARNS.warning);
      expect(topics.get('latency:cart#2')).toBe(ARNS.critical);
    } finally {
      await w.dynamo.close();
    }
  }, 60_000);

  it('SNS failing for ten evaluations (racing) loses nothing and sends nothing twice', async () => {
    let now = T0;
    const condition = (id: string, t: number) =>
      id === 'errors:search' ? t >= T0 + 3 * MIN && t < T0 + 8 * MIN : t >= T0 && t < T0 + 5 * MIN;
    const w = await world('flaky', condition, () => now);
    const delivered: string[] = [];
    let snsDown = true;
    sns.on(PublishCommand).callsFake((input) => {
      if (snsDown) throw Object.assign(new Error('Service Unavailable'), { name: 'InternalErrorException' });
      delivered.push(input.MessageAttributes.notificationId.StringValue);
      return { MessageId: 'ok' };
    });
    try {
      for (let minute = 0; minute < 10; minute++) {
        now = T0 + minute * MIN;
        await Promise.all([runEvaluation(w.deps()), runEvaluation(w.deps())]);
      }
      expect(delivered).toEqual([]);
      const during = (await w.outbox.list({ limit: 100, now })).items;
      // Every transition is in the outbox, waiting with its failed attempts and a backoff; none is dead.
      expect(during.map((r) => r.id).sort()).toEqual([
        'errors:search#1',
        'errors:search#2',
        'latency:cart#1',
        'latency:cart#2',
        'latency:checkout#1',
        'latency:checkout#2',
      ]);
      expect(
        during.every((r) => r.status === 'pending' && r.attempts >= 1 && r.lastError === 'Service Unavailable'),
      ).toBe(true);
      snsDown = false;
      // Until everything is out (the longest backoff after ten failures is 8 min), and 5 min more.
      let quiet = 0;
      for (let minute = 10; minute < 60 && quiet < 5; minute++) {
        now = T0 + minute * MIN;
        await Promise.all([runEvaluation(w.deps()), runEvaluation(w.deps())]);
        if (delivered.length === during.length) quiet++;
      }
      const after = (await w.outbox.list({ limit: 100, now })).items;
      expect(after.map((r) => [r.id, r.status])).toEqual(during.map((r) => [r.id, 'sent']));
      expect(delivered.sort()).toEqual(during.map((r) => r.id).sort());
      // Failed attempts were retried with backoff, not every run: far fewer publishes than runs × records.
      const attempts = published().length;
      expect(attempts).toBe(after.reduce((n, r) => n + r.attempts, 0));
      expect(attempts).toBeLessThan(6 * 10);
      expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
    } finally {
      await w.dynamo.close();
    }
  }, 90_000);

  it('publishes the exact SNS command, and sends a notification that keeps failing to the DLQ', async () => {
    let now = T0;
    const w = await world(
      'dlq',
      (id, t) => id === 'latency:checkout' && t >= T0,
      () => now,
    );
    sns.on(PublishCommand).rejects(Object.assign(new Error('KMS key disabled'), { name: 'KMSDisabledException' }));
    sqs.on(SendMessageCommand).resolves({ MessageId: 'dlq-1' });
    try {
      for (let minute = 0; minute < 12; minute++) {
        now = T0 + minute * MIN;
        await runEvaluation({ ...w.deps(), dispatch: { maxAttempts: 3 } });
      }
      const calls = sns.commandCalls(PublishCommand);
      expect(calls).toHaveLength(3);
      const input = calls[0]!.args[0].input;
      const body = JSON.parse(input.Message!);
      expect(input).toEqual({
        TopicArn: ARNS.critical,
        Subject: '[FIRING] critical checkout: checkout is slow: 900 ms',
        Message: input.Message,
        MessageAttributes: {
          service: { DataType: 'String', StringValue: 'checkout' },
          severity: { DataType: 'String', StringValue: 'critical' },
          state: { DataType: 'String', StringValue: 'firing' },
          rule: { DataType: 'String', StringValue: 'latency' },
          notificationId: { DataType: 'String', StringValue: 'latency:checkout#1' },
        },
      });
      expect(body).toMatchObject({
        id: 'latency:checkout#1',
        topic: 'critical',
        notificationId: 'latency:checkout#1',
        kind: 'firing',
        alert: { id: 'latency:checkout', state: 'firing', value: 900, labels: { service: 'checkout' } },
        annotations: { summary: 'checkout is slow: 900 ms' },
        reason: { code: 'condition-true', message: 'above 800' },
      });
      expect(body.decisions.map((d: { code: string }) => d.code)).toEqual(['grouped']);
      const dead = await w.outbox.get('latency:checkout#1');
      expect(dead).toMatchObject({ status: 'dead', attempts: 3, lastError: 'KMS key disabled' });
      const sent = sqs.commandCalls(SendMessageCommand);
      expect(sent).toHaveLength(1);
      expect(sent[0]!.args[0].input).toEqual({
        QueueUrl: DLQ,
        MessageBody: JSON.stringify(dead),
        MessageAttributes: {
          notificationId: { DataType: 'String', StringValue: 'latency:checkout#1' },
          topic: { DataType: 'String', StringValue: 'critical' },
          alertId: { DataType: 'String', StringValue: 'latency:checkout' },
        },
      });
    } finally {
      await w.dynamo.close();
    }
  }, 90_000);
});

describe('escalation, acknowledgement and silences through the real stores', () => {
  it('escalates to the step topic, stops escalating once acknowledged, and still sends the resolved notice', async () => {
    let now = T0;
    const escalating = rule({
      id: 'latency',
      groupWaitMs: 0,
      escalation: [
        { afterMs: 10 * MIN, topic: 'escalation' },
        { afterMs: 30 * MIN, topic: 'critical' },
      ],
    });
    const w = await world(
      'escalate',
      (id, t) => id === 'latency:checkout' && t < T0 + 40 * MIN,
      () => now,
      [escalating, rule({ id: 'errors', severity: 'warning' })],
    );
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    try {
      for (let minute = 0; minute <= 45; minute++) {
        now = T0 + minute * MIN;
        if (minute === 15) {
          const a = (await w.alerts.get('latency:checkout'))!;
          expect(await w.alerts.put({ ...a, ack: { by: 'ana', comment: 'on it', at: now } })).toBe('written');
        }
        await runEvaluation(w.deps());
      }
      const calls = sns
        .commandCalls(PublishCommand)
        .map((c) => [
          c.args[0].input.MessageAttributes?.notificationId?.StringValue,
          c.args[0].input.TopicArn,
          c.args[0].input.Subject,
        ]);
      expect(calls).toEqual([
        ['latency:checkout#1', ARNS.critical, '[FIRING] critical checkout: checkout is slow: 900 ms'],
        ['latency:checkout#1#escalation-1', ARNS.escalation, '[ESCALATED] critical checkout: checkout is slow: 900 ms'],
        ['latency:checkout#2', ARNS.critical, '[RESOLVED] critical checkout: checkout is slow: 100 ms'],
      ]);
      const step2 = await w.outbox.get('latency:checkout#1#escalation-2');
      expect(step2).toMatchObject({ status: 'suppressed', decisions: [{ code: 'acknowledged' }] });
    } finally {
      await w.dynamo.close();
    }
  });

  it('a silence suppresses the firing notice (and so its resolved notice); the log says why', async () => {
    let now = T0;
    const w = await world(
      'silence',
      (id, t) => id === 'latency:cart' && t < T0 + 10 * MIN,
      () => now,
      [rule({ id: 'latency', groupWaitMs: 0 }), rule({ id: 'errors', severity: 'warning' })],
    );
    await w.silences.put({
      id: 'sil-cart',
      matchers: [{ label: 'service', op: '=~', value: 'cart|basket' }],
      startsAt: T0 - MIN,
      endsAt: T0 + 60 * MIN,
      comment: 'migrating the cart database',
      createdBy: 'ana',
      createdAt: T0 - MIN,
    });
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    try {
      for (let minute = 0; minute <= 12; minute++) {
        now = T0 + minute * MIN;
        await runEvaluation(w.deps());
      }
      expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
      expect(
        (await w.outbox.forAlert('latency:cart', now)).map((r) => [r.id, r.status, r.decisions.at(-1)?.code]),
      ).toEqual([
        ['latency:cart#1', 'suppressed', 'silenced'],
        ['latency:cart#2', 'suppressed', 'silenced'],
      ]);
    } finally {
      await w.dynamo.close();
    }
  });
});
