import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { vigilStacks } from '../../lib/vigil-app.js';
import { testApp } from '../support/cdk-app.js';

/** The verification worker's step queue, its dead-letter queue and alarm, and what the worker may touch. */
function synth(context: Record<string, unknown> = {}) {
  const app = testApp({ 'aws:cdk:bundling-stacks': [], stage: 'test', ...context });
  return Template.fromStack(vigilStacks(app, { projectRoot: process.cwd() }).service);
}

const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:vigil-webhook-AbCdEf';

describe('verification infrastructure', () => {
  let service: Template;
  beforeAll(() => {
    service = synth({ verifyWebhookSecret: SECRET, verifyMinIntervalSeconds: 30 });
  });

  const fnId = (description: string) => {
    const fns = service.findResources('AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp(description) },
    });
    const ids = Object.keys(fns);
    expect(ids).toHaveLength(1);
    return ids[0]!;
  };

  it('has a step queue that dead-letters after 5 receives, SQS-encrypted, with an alarm on the dead letters', () => {
    const queues = service.findResources('AWS::SQS::Queue');
    const ours = Object.entries(queues).filter(([id]) => id.startsWith('verifysteps'));
    expect(ours).toHaveLength(2);
    const main = ours.map(([, q]) => q).find((q) => q.Properties.RedrivePolicy);
    expect(main?.Properties).toMatchObject({
      VisibilityTimeout: 120,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { maxReceiveCount: 5 },
    });
    service.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'vigil-test-verify-steps-dead-letters',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
    });
  });

  it('the worker consumes the queue with partial batch failures and has the queue URL and settings', () => {
    const worker = fnId('^Vigil: Runs verification steps');
    service.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: worker },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const fn = service.findResources('AWS::Lambda::Function')[worker]!;
    expect(fn.Properties.Timeout).toBe(60);
    expect(fn.Properties.Environment.Variables).toMatchObject({
      VIGIL_VERIFY_QUEUE_URL: { Ref: expect.stringMatching(/^verifystepsqueue/) },
      VIGIL_VERIFY_MIN_INTERVAL_SECONDS: '30',
      VIGIL_VERIFY_WEBHOOK_SECRET: SECRET,
      VIGIL_TOPIC_DEPLOYMENTS: { 'Fn::ImportValue': expect.stringMatching(/deploymentstopic/) },
      VIGIL_TABLE_DEPLOYMENTS: { 'Fn::ImportValue': expect.stringMatching(/deploymentstable/) },
    });
    const api = service.findResources('AWS::Lambda::Function')[fnId('^Vigil: Deployment verification API')]!;
    expect(api.Properties.Environment.Variables.VIGIL_VERIFY_QUEUE_URL).toEqual({
      Ref: expect.stringMatching(/^verifystepsqueue/),
    });
  });

  it('the worker may read exactly the webhook secret and CloudWatch metrics', () => {
    const statements = Object.values(service.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: SECRET }),
    );
    expect(statements).toContainEqual(expect.objectContaining({ Action: 'cloudwatch:GetMetricData', Resource: '*' }));
  });

  it('routes /v1/verifications to the verify function', () => {
    const keys = Object.values(service.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey);
    expect(keys).toEqual(
      expect.arrayContaining([
        'POST /v1/verifications',
        'GET /v1/verifications',
        'GET /v1/verifications/{id}',
        'POST /v1/verifications/{id}/abort',
      ]),
    );
  });
});
