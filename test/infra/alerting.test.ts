import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_NAMES, FUNCTIONS, type FunctionSpec } from '../../functions/catalog/functions.js';
import { vigilStacks } from '../../lib/vigil-app.js';
import { testApp } from '../support/cdk-app.js';

// The alerting infrastructure: evaluator schedule, topic subscriptions, dead-letter queue and alarms.
function synth(context: Record<string, unknown> = {}) {
  const app = testApp({ 'aws:cdk:bundling-stacks': [], stage: 'test', ...context });
  return vigilStacks(app, { projectRoot: process.cwd() });
}

describe('alerting infrastructure', () => {
  let stacks: ReturnType<typeof synth>;
  let state: Template;
  let service: Template;

  beforeAll(() => {
    stacks = synth({
      alertEmail: 'oncall@example.com',
      alertHttpsEndpoints: 'https://events.pagerduty.com/integration/abc/enqueue,https://hooks.example.com/vigil',
    });
    state = Template.fromStack(stacks.stateful);
    service = Template.fromStack(stacks.service);
  });

  it('stays clean under cdk-nag AwsSolutions with the subscriptions and the queue', () => {
    for (const stack of [stacks.stateful, stacks.service]) {
      const report = new AwsSolutionsChecks().validateScope(stack);
      expect(report.violations.map((v) => `${v.ruleName}: ${v.description}`)).toEqual([]);
    }
  }, 60_000);

  it('runs the evaluator every minute from EventBridge', () => {
    const evaluator = stacks.service.getLogicalId(stacks.service.functions.evaluator.node.defaultChild as CfnElement);
    service.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [evaluator, 'Arn'] } })],
    });
  });

  it('subscribes the e-mail and every HTTPS endpoint to the four alert topics, never to deployments', () => {
    state.resourceCountIs('AWS::SNS::Subscription', 4 * 3);
    for (const endpoint of [
      'oncall@example.com',
      'https://events.pagerduty.com/integration/abc/enqueue',
      'https://hooks.example.com/vigil',
    ]) {
      const subs = state.findResources('AWS::SNS::Subscription', { Properties: { Endpoint: endpoint } });
      expect(Object.keys(subs), endpoint).toHaveLength(4);
      const protocol = endpoint.startsWith('https') ? 'https' : 'email';
      for (const s of Object.values(subs)) expect(s.Properties.Protocol).toBe(protocol);
    }
  });

  it('checks the rules of vigil.config.json at synth, naming the field of a bad one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-rules-cfg-'));
    const rule = { id: 'web-down', type: 'health', target: 'web', severity: 'critical' };
    const good = join(dir, 'good.json');
    const contents = JSON.stringify({ targets: [], rules: [rule] });
    writeFileSync(good, contents);
    Template.fromStack(synth({ configFile: good }).service).hasResourceProperties(
      'AWS::CloudFormation::CustomResource',
      { ConfigFile: contents },
    );
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ rules: [rule, { ...rule, id: 'x', type: 'threshold', window: '5 minutes' }] }));
    expect(() => synth({ configFile: bad })).toThrow(/bad\.json: .*rules\[1\]\./);
  });

  it('refuses a plain-HTTP endpoint at synth, naming the setting', () => {
    expect(() => synth({ alertHttpsEndpoints: 'http://hooks.example.com/x' })).toThrow(/alertHttpsEndpoints.*https/);
  });

  it('keeps dead notifications in an encrypted (SSE-SQS), TLS-only queue and alarms on any message there', () => {
    state.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'vigil-test-deadLetters',
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 86_400,
    });
    state.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    service.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'vigil-test-notification-dead-letters',
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      AlarmActions: [Match.anyValue()],
    });
    const evaluator = service.findResources('AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp('^Vigil: Evaluates') },
    });
    const vars = Object.values(evaluator)[0]?.Properties.Environment.Variables;
    expect(vars.VIGIL_QUEUE_DEAD_LETTERS).toBeDefined();
    // Links in notifications lead to the dashboard, served at the API's root.
    expect(JSON.stringify(vars.VIGIL_DASHBOARD_URL)).toContain(
      stacks.service.getLogicalId(stacks.service.api.node.defaultChild as CfnElement),
    );
    const policies = JSON.stringify(service.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('sqs:SendMessage');
  });

  it('subscribes the Slack forwarder to the four alert topics, with read access to its webhook secret only', () => {
    const secret = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:vigil-slack-AbCdEf';
    const withSlack = synth({ slackWebhooksSecret: secret });
    const t = Template.fromStack(withSlack.service);
    const forwarder = withSlack.service.getLogicalId(
      withSlack.service.functions.forwarder.node.defaultChild as CfnElement,
    );
    const subs = Object.values(t.findResources('AWS::SNS::Subscription', { Properties: { Protocol: 'lambda' } }));
    expect(subs).toHaveLength(4);
    for (const s of subs) expect(s.Properties.Endpoint).toEqual({ 'Fn::GetAtt': [forwarder, 'Arn'] });
    const topics = subs.map((s) => JSON.stringify(s.Properties.TopicArn));
    for (const name of ['critical', 'warning', 'info', 'escalation']) expect(topics.join()).toContain(`${name}topic`);
    expect(topics.join()).not.toContain('deploymentstopic');
    t.resourcePropertiesCountIs('AWS::Lambda::Permission', { Principal: 'sns.amazonaws.com' }, 4);
    const role = withSlack.service.getLogicalId(
      withSlack.service.functions.forwarder.role!.node.defaultChild as CfnElement,
    );
    const statements = Object.values(t.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: secret }),
    );
    // The forwarder gets the secret's name in its environment, and no subscription without a secret.
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ VIGIL_SLACK_WEBHOOKS_SECRET: secret }) },
    });
    expect(Object.keys(service.findResources('AWS::SNS::Subscription'))).toHaveLength(0);
    const report = new AwsSolutionsChecks().validateScope(withSlack.service);
    expect(report.violations.map((v) => `${v.ruleName}: ${v.description}`)).toEqual([]);
  }, 60_000);

  it('lets exactly the functions that read CloudWatch (evaluator, rules, verification worker) call GetMetricData, which has no resource-level permissions', () => {
    const role = stacks.service.getLogicalId(stacks.service.functions.evaluator.role!.node.defaultChild as CfnElement);
    const statements = Object.values(service.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
    expect(statements).toContainEqual(expect.objectContaining({ Action: 'cloudwatch:GetMetricData', Resource: '*' }));
    // Only the functions whose catalogue entry says they read CloudWatch (evaluator, rules, verification worker).
    const readers = FUNCTION_NAMES.filter((n) => (FUNCTIONS[n] as FunctionSpec).readsCloudWatchMetrics).map((n) =>
      stacks.service.getLogicalId(stacks.service.functions[n].role!.node.defaultChild as CfnElement),
    );
    expect(readers).toContain(role);
    const others = Object.values(service.findResources('AWS::IAM::Policy')).filter(
      (p) => !readers.some((r) => JSON.stringify(p.Properties.Roles).includes(r)),
    );
    expect(JSON.stringify(others)).not.toContain('cloudwatch:GetMetricData');
  });

  it('alarms to the critical topic when the evaluator heartbeat is missing', () => {
    const critical = stacks.stateful.getLogicalId(stacks.stateful.topics.critical.node.defaultChild as CfnElement);
    const alarms = service.findResources('AWS::CloudWatch::Alarm', {
      Properties: { AlarmName: 'vigil-test-evaluator-heartbeat' },
    });
    const alarm = Object.values(alarms)[0]?.Properties;
    expect(alarm).toMatchObject({
      Namespace: 'Vigil',
      MetricName: 'EvaluatorHeartbeat',
      Dimensions: [{ Name: 'service', Value: 'vigil-evaluator' }],
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
      EvaluationPeriods: 5,
    });
    expect(JSON.stringify(alarm.AlarmActions)).toContain(`ExportsOutputRef${critical}`);
  });
});
