import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_NAMES, FUNCTIONS, type FunctionSpec } from '../../functions/catalog/functions.js';
import { ROUTES } from '../../functions/catalog/routes.js';
import { TABLE_NAMES, TABLES } from '../../functions/catalog/tables.js';
import { TOPIC_NAMES } from '../../functions/catalog/topics.js';
import { vigilStacks } from '../../lib/vigil-app.js';
import { testApp } from '../support/cdk-app.js';

// Bundling is skipped here (the `aws:cdk:bundling-stacks` context); `npm run synth` in CI bundles for real.
function synth(context: Record<string, unknown> = {}) {
  const app = testApp({ 'aws:cdk:bundling-stacks': [], stage: 'test', ...context });
  return vigilStacks(app, { projectRoot: process.cwd() });
}

describe('CDK stacks', () => {
  let stacks: ReturnType<typeof synth>;
  let state: Template;
  let service: Template;

  beforeAll(() => {
    stacks = synth({ alertEmail: 'oncall@example.com' });
    state = Template.fromStack(stacks.stateful);
    service = Template.fromStack(stacks.service);
  });

  it('passes cdk-nag AwsSolutions with zero unacknowledged findings', () => {
    for (const stack of [stacks.stateful, stacks.service]) {
      const report = new AwsSolutionsChecks().validateScope(stack);
      expect(report.violations.map((v) => `${v.ruleName}: ${v.description}`)).toEqual([]);
    }
  });

  it('cdk-nag does flag a real problem (the check can fail)', () => {
    const stack = new Stack(testApp(), 'Bad');
    new sns.Topic(stack, 'plain');
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.violations.map((v) => v.ruleName)).toContain('AwsSolutions-SNS3');
  });

  it('creates every table with PITR, encryption, on-demand billing and its TTL', () => {
    state.resourceCountIs('AWS::DynamoDB::Table', TABLE_NAMES.length);
    for (const name of TABLE_NAMES) {
      const spec = TABLES[name];
      state.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: Match.arrayWith([{ AttributeName: spec.partitionKey, KeyType: 'HASH' }]),
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        ...('ttlAttribute' in spec
          ? { TimeToLiveSpecification: { AttributeName: spec.ttlAttribute, Enabled: true } }
          : {}),
      });
    }
  });

  it('protects tables from deletion only in prod', () => {
    const dev = Template.fromStack(stacks.stateful).findResources('AWS::DynamoDB::Table');
    expect(Object.values(dev).every((t) => t.DeletionPolicy === 'Delete')).toBe(true);
    const prod = Template.fromStack(synth({ stage: 'prod' }).stateful);
    const tables = Object.values(prod.findResources('AWS::DynamoDB::Table'));
    expect(tables.every((t) => t.DeletionPolicy === 'Retain' && t.Properties.DeletionProtectionEnabled === true)).toBe(
      true,
    );
  });

  it('encrypts every topic with the rotating key, denies non-TLS publishing, and subscribes the alert e-mail', () => {
    state.resourceCountIs('AWS::SNS::Topic', TOPIC_NAMES.length);
    for (const name of TOPIC_NAMES) {
      state.hasResourceProperties('AWS::SNS::Topic', {
        TopicName: `vigil-test-${name}`,
        KmsMasterKeyId: Match.anyValue(),
      });
    }
    state.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    state.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    // E-mail on the four alert topics, not on deployments.
    state.resourceCountIs('AWS::SNS::Subscription', 4);
  });

  it('grants each function exactly the tables its spec names', () => {
    const tableIds = Object.fromEntries(
      TABLE_NAMES.map((t) => [
        t,
        stacks.stateful.getLogicalId(stacks.stateful.tables[t].node.defaultChild as CfnElement),
      ]),
    );
    const policies = service.findResources('AWS::IAM::Policy');
    for (const name of FUNCTION_NAMES) {
      const spec: FunctionSpec = FUNCTIONS[name];
      const role = stacks.service.getLogicalId(stacks.service.functions[name].role!.node.defaultChild as CfnElement);
      const statements = Object.values(policies)
        .filter((p) => JSON.stringify(p.Properties.Roles).includes(role))
        .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
      const dynamo = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')));
      const touched = TABLE_NAMES.filter((t) => JSON.stringify(dynamo).includes(tableIds[t]!));
      expect(touched.sort(), name).toEqual(Object.keys(spec.tables).sort());
      for (const s of dynamo) {
        const table = TABLE_NAMES.find((t) => JSON.stringify(s.Resource).includes(tableIds[t]!))!;
        const writes = [s.Action].flat().some((a) => a === 'dynamodb:PutItem');
        expect(writes, `${name} on ${table}`).toBe(spec.tables[table as keyof typeof spec.tables] === 'readwrite');
        expect(JSON.stringify(s.Resource)).not.toContain('index/*');
      }
    }
  });

  it('builds the HTTP API from the route table, with access logs and a problem+json fallback', () => {
    const routes = Object.values(service.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey);
    expect(routes.sort()).toEqual([...ROUTES.map((r) => `${r.method} ${r.path}`), '$default'].sort());
    service.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      DefaultRouteSettings: { ThrottlingBurstLimit: 1000, ThrottlingRateLimit: 500 },
    });
  });

  it('runs Node.js 22 on arm64 with tracing, for every function', () => {
    const fns = Object.values(service.findResources('AWS::Lambda::Function')).filter((f) =>
      String(f.Properties.Description ?? '').startsWith('Vigil:'),
    );
    expect(fns).toHaveLength(FUNCTION_NAMES.length);
    for (const f of fns) {
      expect(f.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
      });
    }
  });

  it('schedules the scheduled functions and alarms on every function', () => {
    const scheduled = FUNCTION_NAMES.filter((n) => (FUNCTIONS[n] as FunctionSpec).schedule);
    service.resourceCountIs('AWS::Events::Rule', scheduled.length);
    for (const name of FUNCTION_NAMES) {
      service.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `vigil-test-${name}-errors`,
        MetricName: 'Errors',
        Threshold: 1,
        AlarmActions: [Match.anyValue()],
      });
    }
    service.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'vigil-test-api-5xx', MetricName: '5xx' });
  });

  it('installs the admin token at deploy through the bootstrap custom resource', () => {
    service.hasResourceProperties('AWS::CloudFormation::CustomResource', { AdminTokenSecretArn: Match.anyValue() });
    state.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 40, ExcludePunctuation: true }),
    });
  });

  it('rejects bad context with the name of the setting', () => {
    expect(() => synth({ stage: 'Prod!' })).toThrow(/stage/);
    expect(() => synth({ alertEmail: 'not-an-email' })).toThrow(/alertEmail/);
    expect(() => synth({ logRetentionDays: 31 })).toThrow(/logRetentionDays/);
    expect(() => synth({ rollupStepSeconds: 7 })).toThrow(/rollupStepSeconds/);
    expect(() => synth({ rollupStepSeconds: 35 })).toThrow(/must divide an hour/);
  });

  it('passes vigil.config.json to the deploy hook, and fails synth on an invalid one naming the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-cfg-'));
    const good = join(dir, 'good.json');
    const contents = JSON.stringify({ targets: [{ id: 'web', service: 'web', url: 'https://web.internal/health' }] });
    writeFileSync(good, contents);
    Template.fromStack(synth({ configFile: good }).service).hasResourceProperties(
      'AWS::CloudFormation::CustomResource',
      {
        ConfigFile: contents,
      },
    );
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ targets: [{ id: 'web', service: 'web', url: 'gopher://x' }] }));
    expect(() => synth({ configFile: bad })).toThrow(/bad\.json: .*targets\[0\]\.url/);
  });

  it('passes retention and resolution settings to the functions', () => {
    const custom = Template.fromStack(synth({ logsRetentionDays: 3, rollupStepSeconds: 10 }).service);
    custom.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ VIGIL_RETENTION_LOGS_DAYS: '3', VIGIL_ROLLUP_STEP_SECONDS: '10' }) },
    });
  });
});
