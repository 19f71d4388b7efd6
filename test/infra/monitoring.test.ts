import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_NAMES, FUNCTIONS, type FunctionName, type FunctionSpec } from '../../functions/catalog/functions.js';
import { isAsync } from '../../lib/dead-letters.js';
import { ServiceStack } from '../../lib/service-stack.js';
import { deploySettings } from '../../lib/settings.js';
import { StatefulStack } from '../../lib/stateful-stack.js';
import { vigilStacks } from '../../lib/vigil-app.js';
import { testApp } from '../support/cdk-app.js';

// Bundling is skipped here (the `aws:cdk:bundling-stacks` context); `npm run synth` in CI bundles for real.
function synth(context: Record<string, unknown> = {}) {
  const app = testApp({ 'aws:cdk:bundling-stacks': [], stage: 'test', ...context });
  return vigilStacks(app, { projectRoot: process.cwd() });
}

type Resource = { Type: string; Properties: Record<string, unknown> };

/**
 * Resources that AWS offers no narrower scope than `*` for, each named with the reason. A new statement
 * with `Resource: "*"` fails the test until it is added here with its reason.
 */
const NO_RESOURCE_LEVEL: Record<string, string> = {
  'xray:PutTraceSegments': 'X-Ray trace segments have no resource ARN (active tracing)',
  'xray:PutTelemetryRecords': 'X-Ray telemetry records have no resource ARN (active tracing)',
  'cloudwatch:GetMetricData': 'CloudWatch GetMetricData has no resource-level permissions',
  'cloudwatch:PutMetricData':
    'CloudWatch PutMetricData has no resource-level permissions (scoped by a namespace condition)',
};

describe('infrastructure hardening', () => {
  let stacks: ReturnType<typeof synth>;
  let service: Template;
  let resources: Record<string, Resource>;
  const asyncFns = FUNCTION_NAMES.filter((n) => isAsync(FUNCTIONS[n] as FunctionSpec));
  const logicalId = (stack: Stack, element: unknown) => stack.getLogicalId(element as CfnElement);
  const fnId = (name: FunctionName) => logicalId(stacks.service, stacks.service.functions[name].node.defaultChild);
  const criticalTopicExport = () =>
    JSON.stringify(stacks.service.resolve(stacks.stateful.topics.critical.topicArn) as unknown);

  beforeAll(() => {
    stacks = synth();
    service = Template.fromStack(stacks.service);
    resources = service.toJSON().Resources as Record<string, Resource>;
  });

  it('the catalogue has asynchronous functions (the probe schedule and its fan-out at least)', () => {
    expect(asyncFns).toContain('probe');
  });

  it('gives every asynchronous function an on-failure destination: an encrypted, TLS-only SQS queue with a depth alarm', () => {
    const configs = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::EventInvokeConfig');
    for (const name of asyncFns) {
      const config = configs.find((c) => JSON.stringify(c.Properties.FunctionName).includes(fnId(name)));
      expect(config, `${name} has an EventInvokeConfig`).toBeDefined();
      const destination = JSON.stringify(
        (config!.Properties.DestinationConfig as { OnFailure: { Destination: unknown } }).OnFailure.Destination,
      );
      const queueId = Object.keys(resources).find(
        (id) => resources[id]!.Type === 'AWS::SQS::Queue' && destination.includes(`"${id}"`),
      );
      expect(queueId, `${name}'s destination is a queue of this stack`).toBeDefined();
      expect(resources[queueId!]!.Properties).toMatchObject({
        QueueName: `vigil-test-${name}-dlq`,
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      const policy = Object.values(resources).find(
        (r) => r.Type === 'AWS::SQS::QueuePolicy' && JSON.stringify(r.Properties.Queues).includes(queueId!),
      );
      expect(JSON.stringify(policy?.Properties.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
      service.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `vigil-test-${name}-dead-letters`,
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });

  it('does not retry scheduled runs (the next run does the work) and sends undeliverable schedule events to the same queue', () => {
    for (const name of asyncFns.filter((n) => (FUNCTIONS[n] as FunctionSpec).schedule)) {
      const config = Object.values(resources).find(
        (r) =>
          r.Type === 'AWS::Lambda::EventInvokeConfig' && JSON.stringify(r.Properties.FunctionName).includes(fnId(name)),
      )!;
      expect(config.Properties).toMatchObject({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 120 });
      const rule = Object.values(resources).find(
        (r) => r.Type === 'AWS::Events::Rule' && JSON.stringify(r.Properties.Targets).includes(fnId(name)),
      )!;
      const [target] = rule.Properties.Targets as { DeadLetterConfig?: { Arn: unknown } }[];
      const queue = stacks.service.node.findChild('dead-letters').node.findChild(name).node.defaultChild;
      expect(target!.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [logicalId(stacks.service, queue), 'Arn'] } });
    }
  });

  it('watches every dead-letter queue (redrive target or on-failure destination) with exactly one depth alarm', () => {
    const dlqIds = new Set<string>();
    for (const r of Object.values(resources)) {
      const refs =
        r.Type === 'AWS::SQS::Queue'
          ? [r.Properties.RedrivePolicy]
          : r.Type === 'AWS::Lambda::EventInvokeConfig'
            ? [r.Properties.DestinationConfig]
            : [];
      for (const ref of refs) {
        for (const m of JSON.stringify(ref ?? {}).matchAll(/"Fn::GetAtt":\["([A-Za-z0-9]+)","Arn"\]/g)) {
          if (resources[m[1]!]?.Type === 'AWS::SQS::Queue') dlqIds.add(m[1]!);
        }
      }
    }
    expect(dlqIds.size).toBeGreaterThanOrEqual(asyncFns.length);
    const depthAlarms = Object.values(resources).filter(
      (r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.MetricName === 'ApproximateNumberOfMessagesVisible',
    );
    for (const id of dlqIds) {
      const watching = depthAlarms.filter((a) => JSON.stringify(a.Properties.Dimensions).includes(`"${id}"`));
      expect(watching.length, id).toBe(1);
    }
  });

  it('alarms on every function when its p99 duration nears the timeout', () => {
    for (const name of FUNCTION_NAMES) {
      const spec: FunctionSpec = FUNCTIONS[name];
      service.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `vigil-test-${name}-duration`,
        MetricName: 'Duration',
        ExtendedStatistic: 'p99',
        Threshold: Math.round(0.8 * (spec.timeoutSeconds ?? 10) * 1000),
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId(name) } }],
      });
    }
  });

  it('alarms when ingest refuses many items (all kinds) or whole requests', () => {
    const items = Object.values(resources).find(
      (r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.AlarmName === 'vigil-test-ingest-rejected-items',
    )!;
    expect(items.Properties.Threshold).toBe(100);
    const queries = items.Properties.Metrics as {
      Expression?: string;
      MetricStat?: { Metric: { MetricName: string; Namespace: string; Dimensions: unknown } };
    }[];
    expect(queries.find((q) => q.Expression)?.Expression).toBe('FILL(r0, 0) + FILL(r1, 0) + FILL(r2, 0) + FILL(r3, 0)');
    expect(queries.flatMap((q) => (q.MetricStat ? [q.MetricStat.Metric.MetricName] : [])).sort()).toEqual([
      'RejectedErrors',
      'RejectedLogs',
      'RejectedMetrics',
      'RejectedSpans',
    ]);
    for (const q of queries.filter((x) => x.MetricStat)) {
      expect(q.MetricStat!.Metric).toMatchObject({
        Namespace: 'Vigil',
        Dimensions: [{ Name: 'service', Value: 'vigil-ingest' }],
      });
    }
    service.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'vigil-test-ingest-rejected-requests',
      Namespace: 'Vigil',
      MetricName: 'RequestsRejected',
      Dimensions: [{ Name: 'service', Value: 'vigil-ingest' }],
      Threshold: 50,
    });
  });

  it('routes every alarm of the service stack to the critical topic', () => {
    const alarms = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThanOrEqual(FUNCTION_NAMES.length * 3 + asyncFns.length + 3);
    const critical = criticalTopicExport();
    for (const a of alarms) {
      expect(JSON.stringify(a.Properties.AlarmActions), String(a.Properties.AlarmName)).toBe(`[${critical}]`);
    }
  });

  it('reserves concurrency for ingest and the prober (context settings, 0 = none) and throttles the API from settings', () => {
    const reserved = (template: Template, name: FunctionName, s: typeof stacks) =>
      (template.toJSON().Resources as Record<string, Resource>)[
        logicalId(s.service, s.service.functions[name].node.defaultChild)
      ]!.Properties.ReservedConcurrentExecutions;
    expect(reserved(service, 'ingest', stacks)).toBe(50);
    expect(reserved(service, 'probe', stacks)).toBe(10);
    const others = FUNCTION_NAMES.filter((n) => !(FUNCTIONS[n] as FunctionSpec).reservedConcurrency);
    for (const name of others) expect(reserved(service, name, stacks), name).toBeUndefined();

    const custom = synth({
      ingestReservedConcurrency: 0,
      probeReservedConcurrency: 4,
      apiThrottleRate: 50,
      apiThrottleBurst: 80,
    });
    const customTemplate = Template.fromStack(custom.service);
    expect(reserved(customTemplate, 'ingest', custom)).toBeUndefined();
    expect(reserved(customTemplate, 'probe', custom)).toBe(4);
    customTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 80 },
    });
    expect(() => synth({ ingestReservedConcurrency: -1 })).toThrow(/ingestReservedConcurrency/);
    expect(() => synth({ apiThrottleRate: 0 })).toThrow(/apiThrottleRate/);
  });

  it('has a CloudWatch dashboard of Vigil itself with every alarm and every function', () => {
    const dashboards = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0]!.Properties.DashboardName).toBe('vigil-test-vigil');
    const body = JSON.stringify(dashboards[0]!.Properties.DashboardBody);
    for (const title of [
      'Vigil alarms',
      'Invocations',
      'Errors',
      'Throttles',
      'Duration p99 (ms)',
      'API requests',
      'Dead-letter queues (messages)',
      'Ingest: items accepted and refused',
    ]) {
      expect(body).toContain(title);
    }
    for (const name of FUNCTION_NAMES) expect(body).toContain(fnId(name));
    const alarmIds = Object.keys(resources).filter((id) => resources[id]!.Type === 'AWS::CloudWatch::Alarm');
    for (const id of alarmIds) expect(body, id).toContain(`"${id}"`);
  });

  it('grants least privilege: no wildcard actions, and Resource "*" only for the actions AWS gives no narrower scope', () => {
    let checked = 0;
    for (const stack of [stacks.stateful, stacks.service]) {
      const all = Template.fromStack(stack).toJSON().Resources as Record<string, Resource>;
      const statements = Object.values(all)
        .filter((r) => r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::Role')
        .flatMap((r) => [
          ...(((r.Properties.PolicyDocument as { Statement?: unknown[] } | undefined)?.Statement ?? []) as {
            Action: string | string[];
            Resource: unknown;
          }[]),
          ...((r.Properties.Policies as { PolicyDocument: { Statement: [] } }[] | undefined) ?? []).flatMap(
            (p) => p.PolicyDocument.Statement,
          ),
        ]);
      checked += statements.length;
      for (const s of statements) {
        const actions = [s.Action].flat();
        for (const a of actions) expect(a, 'wildcard action').not.toMatch(/^\*$|:\*$/);
        if ([s.Resource].flat().includes('*')) {
          for (const a of actions) expect(NO_RESOURCE_LEVEL[a], `${a} on Resource "*"`).toBeDefined();
        }
      }
    }
    expect(checked).toBeGreaterThan(FUNCTION_NAMES.length);
  });

  it('gives every cdk-nag acknowledgement a reason a person can check', () => {
    let count = 0;
    for (const stack of [stacks.stateful, stacks.service]) {
      for (const construct of stack.node.findAll()) {
        for (const entry of construct.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules')) {
          for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) {
            count += 1;
            expect(typeof reason === 'string' && reason.length >= 40, `${construct.node.path}: ${id}`).toBe(true);
          }
        }
      }
    }
    expect(count).toBeGreaterThanOrEqual(asyncFns.length);
  });
});

describe('the hardening checks can fail', () => {
  it('a function declared asyncInvoked gets its queue and alarm (the catalogue drives it)', () => {
    const spec = FUNCTIONS.tokens as FunctionSpec & { asyncInvoked?: boolean };
    const before = spec.asyncInvoked;
    (spec as { asyncInvoked?: boolean }).asyncInvoked = true;
    try {
      const t = Template.fromStack(synth().service);
      t.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'vigil-test-tokens-dlq' });
      t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'vigil-test-tokens-dead-letters' });
      t.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        MaximumRetryAttempts: 2,
        DestinationConfig: Match.anyValue(),
      });
    } finally {
      (spec as { asyncInvoked?: boolean }).asyncInvoked = before;
    }
  });

  it('a queue with a redrive policy (a function fed by SQS) gets an alarm on its dead-letter queue', () => {
    const app = testApp({ 'aws:cdk:bundling-stacks': [], stage: 'test' });
    const settings = deploySettings((key) => app.node.tryGetContext(key));
    const stateful = new StatefulStack(app, 'State', { settings });
    const dlq = new sqs.Queue(stateful, 'steps-dlq', { enforceSSL: true });
    new sqs.Queue(stateful, 'steps', { enforceSSL: true, deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });
    const t = Template.fromStack(new ServiceStack(app, 'Service', { settings, stateful, projectRoot: process.cwd() }));
    const alarm = Object.values(t.findResources('AWS::CloudWatch::Alarm')).find(
      (a) => a.Properties.AlarmName === 'vigil-test-steps-dlq-dead-letters',
    );
    expect(alarm?.Properties).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1 });
    expect(JSON.stringify(alarm?.Properties.Dimensions)).toContain('stepsdlq');
  });
});
