import {
  ArnFormat,
  type CfnElement,
  CfnOutput,
  CustomResource,
  Duration,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaEvents from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import { functionEnvironment } from '../functions/catalog/environment.js';
import {
  type Access,
  FUNCTION_NAMES,
  FUNCTIONS,
  type FunctionName,
  type FunctionSpec,
} from '../functions/catalog/functions.js';
import { QUEUE_NAMES } from '../functions/catalog/queues.js';
import { DEFAULT_ROUTE_FN, ROUTES } from '../functions/catalog/routes.js';
import { TABLE_NAMES, TABLES, type TableName, type TableSpec } from '../functions/catalog/tables.js';
import { TOPIC_NAMES, type TopicName } from '../functions/catalog/topics.js';
import { HEARTBEAT_METRIC, HEARTBEAT_SERVICE } from '../functions/evaluator/heartbeat.js';
import { METRICS_NAMESPACE } from '../functions/platform/observability.js';
import { reserveConcurrency } from './capacity.js';
import { addCursorKey } from './cursor-key.js';
import { buildDashboardAssets } from './dashboard-assets.js';
import { DeadLetters } from './dead-letters.js';
import { VigilMonitoring } from './monitoring.js';
import { grantSecretRefs } from './secret-grants.js';
import { type DeploySettings, deployedSettingValues } from './settings.js';
import type { StatefulStack } from './stateful-stack.js';
import { subscribeFunction } from './topic-subscriptions.js';
import { VigilFunction } from './vigil-function.js';

export interface ServiceStackProps extends StackProps {
  readonly settings: DeploySettings;
  readonly stateful: StatefulStack;
  /** Where the function entries and package-lock.json are. */
  readonly projectRoot: string;
  /** Contents of `vigil.config.json` (targets as code), applied at every deploy that changes it. @default - none */
  readonly configFile?: string;
  /** Secrets the config file's targets reference; the probe function may read exactly these. @default - none */
  readonly probeSecretRefs?: readonly string[];
}

/**
 * The stateless part: one Lambda per job, the HTTP API built from the route table, EventBridge schedules,
 * the deploy-time bootstrap, and alarms on Vigil's own functions. Each function gets exactly the tables
 * and topics its entry in functions/catalog/functions.ts names, and the environment derived from it.
 */
export class ServiceStack extends Stack {
  readonly api: apigwv2.HttpApi;
  readonly functions: Record<FunctionName, lambda.IFunction>;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    // The dashboard function's bundle imports the built frontend; build it (or reuse the cached build) first.
    buildDashboardAssets(props.projectRoot);
    const { settings, stateful } = props;
    const prefix = `vigil-${settings.stage}`;
    const logRetentionDays = settings.logRetentionDays as logs.RetentionDays;

    const deployment = {
      tables: Object.fromEntries(TABLE_NAMES.map((t) => [t, stateful.tables[t].tableName])) as Record<
        TableName,
        string
      >,
      topics: Object.fromEntries(TOPIC_NAMES.map((t) => [t, stateful.topics[t].topicArn])),
      queues: Object.fromEntries(QUEUE_NAMES.map((q) => [q, stateful.queues[q].queueUrl])),
      settings: deployedSettingValues(settings),
    };
    const made = {} as Record<FunctionName, VigilFunction>;
    for (const name of FUNCTION_NAMES) {
      const spec: FunctionSpec = FUNCTIONS[name];
      const environment = functionEnvironment(spec, deployment);
      const functionName = spec.selfInvoke ? `${prefix}-${name}` : undefined;
      if (functionName) environment.VIGIL_SELF_FUNCTION_NAME = functionName;

      const vf = new VigilFunction(this, name, {
        name,
        spec,
        projectRoot: props.projectRoot,
        environment,
        logRetentionDays,
        ...(functionName ? { functionName } : {}),
      });
      for (const [table, access] of Object.entries(spec.tables) as [TableName, Access][]) {
        vf.fn.addToRolePolicy(tableStatement(stateful.tables[table], TABLES[table], access));
      }
      for (const topic of spec.topics ?? []) stateful.topics[topic as TopicName].grantPublish(vf.fn);
      if (spec.topics?.length) {
        Validations.of(vf.fn).acknowledge({
          id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
          reason:
            'Publishing to a KMS-encrypted SNS topic needs kms:GenerateDataKey* (the grant SNS documents), on the one topic key only.',
        });
      }
      for (const queue of spec.queues ?? []) stateful.queues[queue].grantSendMessages(vf.fn);
      if (spec.readsCloudWatchMetrics) {
        vf.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['cloudwatch:GetMetricData'], resources: ['*'] }));
        Validations.of(vf.fn).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            'cloudwatch:GetMetricData has no resource-level permissions; the metrics read are the ones rules name (`"source": "cloudwatch"`).',
        });
      }
      if (functionName) {
        // An ARN built from the name: a reference to the function itself would be a circular dependency.
        vf.fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['lambda:InvokeFunction'],
            resources: [
              this.formatArn({
                service: 'lambda',
                resource: 'function',
                resourceName: functionName,
                arnFormat: ArnFormat.COLON_RESOURCE_NAME,
              }),
            ],
          }),
        );
      }
      made[name] = vf;
    }
    grantSecretRefs(this, made.probe.fn, props.probeSecretRefs ?? []);
    // The Slack forwarder listens on the alert topics once there are webhook URLs to post to.
    if (settings.slackWebhooksSecret) {
      subscribeFunction(this, 'forwarder', {
        fn: made.forwarder.fn,
        topics: {
          critical: stateful.topics.critical,
          warning: stateful.topics.warning,
          info: stateful.topics.info,
          escalation: stateful.topics.escalation,
        },
        secretRef: settings.slackWebhooksSecret,
      });
    }
    const lambdas = Object.fromEntries(FUNCTION_NAMES.map((n) => [n, made[n].fn])) as Record<
      FunctionName,
      lambda.Function
    >;
    reserveConcurrency(lambdas, settings);
    const deadLetters = new DeadLetters(this, 'dead-letters', { prefix, functions: lambdas });
    addCursorKey(this, made);
    const verifyDlq = this.verificationSteps(made, settings);
    this.functions = Object.fromEntries(Object.entries(made).map(([k, v]) => [k, v.fn])) as unknown as Record<
      FunctionName,
      lambda.IFunction
    >;

    // HTTP API from the route table; unmatched requests go to the fallback function (problem+json 404/405).
    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    const integration = (fn: FunctionName) => {
      let i = integrations.get(fn);
      if (!i) {
        i = new HttpLambdaIntegration(`${fn}-integration`, made[fn].fn);
        integrations.set(fn, i);
      }
      return i;
    };
    this.api = new apigwv2.HttpApi(this, 'api', {
      apiName: `${prefix}-api`,
      description: 'Vigil HTTP API',
      createDefaultStage: false,
      defaultIntegration: integration(DEFAULT_ROUTE_FN),
    });
    for (const route of ROUTES) {
      this.api.addRoutes({
        path: route.path,
        methods: [apigwv2.HttpMethod[route.method]],
        integration: integration(route.fn),
      });
    }
    // Notifications link to the dashboard, which the API serves at its root.
    for (const [name, spec] of Object.entries(FUNCTIONS) as [FunctionName, FunctionSpec][]) {
      if ((spec.settings as readonly string[] | undefined)?.includes('dashboardUrl')) {
        made[name].fn.addEnvironment('VIGIL_DASHBOARD_URL', this.api.apiEndpoint);
      }
    }
    const accessLogs = new logs.LogGroup(this, 'api-access-logs', { retention: logRetentionDays });
    const stage = new apigwv2.HttpStage(this, 'api-stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: settings.apiThrottleRate, burstLimit: settings.apiThrottleBurst },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        format: apigw.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            method: '$context.httpMethod',
            path: '$context.path',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            bytes: '$context.responseLength',
          }),
        ),
      },
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Every route except GET /health and the dashboard files requires a bearer token with a scope, checked in the function (functions/catalog/routes.ts; test/unit/routes.test.ts walks the table). API Gateway authorizers cannot answer RFC 9457 problem+json or tell 401 from 403 for these tokens.',
    });

    // Schedules (EventBridge) for the scheduled functions.
    for (const name of FUNCTION_NAMES) {
      const spec: FunctionSpec = FUNCTIONS[name];
      if (!spec.schedule) continue;
      new events.Rule(this, `${name}-schedule`, {
        description: `Runs Vigil ${name} every ${spec.schedule.everySeconds} s`,
        schedule: events.Schedule.rate(Duration.seconds(Math.max(60, spec.schedule.everySeconds))),
        targets: [
          new targets.LambdaFunction(made[name].fn, {
            retryAttempts: 0,
            maxEventAge: Duration.minutes(2),
            ...(deadLetters.queues[name] ? { deadLetterQueue: deadLetters.queues[name] } : {}),
          }),
        ],
      });
    }

    // Deploy-time bootstrap: installs the admin token's hash (and what else the hook applies).
    for (const name of FUNCTION_NAMES) {
      const spec: FunctionSpec = FUNCTIONS[name];
      if (!spec.deployHook) continue;
      stateful.adminTokenSecret.grantRead(made[name].fn);
      const provider = new cr.Provider(this, `${name}-provider`, { onEventHandler: made[name].fn });
      new CustomResource(this, `${name}-resource`, {
        serviceToken: provider.serviceToken,
        properties: {
          AdminTokenSecretArn: stateful.adminTokenSecret.secretArn,
          // Change `-c bootstrapNonce=…` to re-run the hook after rotating the secret's value.
          Nonce: String(this.node.tryGetContext('bootstrapNonce') ?? ''),
          ConfigFile: props.configFile ?? '',
        },
      });
      const targetFn = made[name].fn.node.defaultChild as CfnElement;
      Validations.of(provider).acknowledge(
        { id: 'AwsSolutions-L1', reason: 'The custom resource provider framework function is managed by aws-cdk-lib.' },
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason: 'The provider framework function only writes its own CloudWatch Logs.',
        },
        {
          id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(targetFn)}.Arn>:*]`,
          reason: 'The provider framework may invoke any version of the one bootstrap function (its ARN with :*).',
        },
      );
    }

    // Alarms on Vigil's own health: function errors and throttles, API 5xx.
    const alarmTopic = new actions.SnsAction(stateful.topics.critical);
    const alarm = (id: string, description: string, metric: cloudwatch.IMetric, threshold: number) =>
      new cloudwatch.Alarm(this, `${id}-alarm`, {
        alarmName: `${prefix}-${id}`,
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(alarmTopic);
    const fiveMinutes = { period: Duration.minutes(5), statistic: 'Sum' };
    for (const name of FUNCTION_NAMES) {
      const fn = made[name].fn;
      alarm(`${name}-errors`, `Vigil ${name} function is failing`, fn.metricErrors(fiveMinutes), 1);
      alarm(`${name}-throttles`, `Vigil ${name} function is throttled`, fn.metricThrottles(fiveMinutes), 1);
    }
    alarm('api-5xx', 'Vigil API answers 5xx', stage.metricServerError(fiveMinutes), 5);
    alarm(
      'verify-steps-dead-letters',
      'Vigil verification steps failed past their retries and are in the dead-letter queue',
      verifyDlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      1,
    );
    this.alertingAlarms(prefix, stateful, alarmTopic);

    // Function roles: the managed basic-execution policy and the wildcards that grants produce.
    Validations.of(this).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'AWSLambdaBasicExecutionRole only allows writing the function’s own CloudWatch Logs.',
      },
      {
        id: 'AwsSolutions-L1',
        reason:
          'Vigil targets Node.js 22 on Lambda (the runtime its dependencies and tests are pinned to); the move to a newer runtime is a deliberate upgrade.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray PutTraceSegments/PutTelemetryRecords do not support resource-level permissions.',
      },
    );

    // Last, so that its dashboard lists every alarm above.
    new VigilMonitoring(this, 'monitoring', {
      prefix,
      functions: lambdas,
      deadLetterQueues: deadLetters.queues,
      alarmTopic: stateful.topics.critical,
      apiStage: stage,
      queueScopes: [this, stateful],
    });

    new CfnOutput(this, 'ApiUrl', { value: stage.url, description: 'Vigil API and dashboard URL' });
    new CfnOutput(this, 'AdminTokenCommand', {
      value: `aws secretsmanager get-secret-value --secret-id ${stateful.adminTokenSecret.secretArn} --query SecretString --output text`,
      description: 'Prints the admin token',
    });
  }

  /**
   * Verification steps: an SQS queue whose message delays (up to 900 s) hold each step until it is due, so a
   * verification waiting between looks costs nothing (a Lambda asleep would bill the wait; EventBridge
   * Scheduler would need a schedule and a role per step). The worker consumes it with partial batch failures;
   * a step that keeps failing goes to the dead-letter queue after 5 receives (alarmed). The queue holds only
   * transient step messages (the state is in the deployments table), so it lives in the service stack.
   */
  private verificationSteps(made: Record<FunctionName, VigilFunction>, settings: DeploySettings): sqs.Queue {
    const dlq = new sqs.Queue(this, 'verify-steps-dlq', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(dlq).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the verification step queue, and an alarm watches it.',
    });
    const workerTimeout = Math.max(
      ...FUNCTION_NAMES.map((n) => FUNCTIONS[n] as FunctionSpec)
        .filter((s) => s.verificationSteps === 'consume')
        .map((s) => s.timeoutSeconds ?? 10),
    );
    const queue = new sqs.Queue(this, 'verify-steps-queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Longer than a step can run, so a step in flight is never delivered a second time meanwhile.
      visibilityTimeout: Duration.seconds(workerTimeout * 2),
      retentionPeriod: Duration.days(1),
      deadLetterQueue: { queue: dlq, maxReceiveCount: 5 },
    });
    const secret = settings.verifyWebhookSecret;
    for (const name of FUNCTION_NAMES) {
      const spec: FunctionSpec = FUNCTIONS[name];
      if (!spec.verificationSteps) continue;
      const fn = made[name].fn;
      fn.addEnvironment('VIGIL_VERIFY_QUEUE_URL', queue.queueUrl);
      queue.grantSendMessages(fn);
      if (spec.verificationSteps !== 'consume') continue;
      fn.addEventSource(new lambdaEvents.SqsEventSource(queue, { batchSize: 10, reportBatchItemFailures: true }));
      if (secret) grantSecretRefs(this, fn, [secret]);
    }
    return dlq;
  }

  /**
   * The evaluator's heartbeat (each completed run publishes `EvaluatorHeartbeat`; five minutes without one,
   * missing data included, is an alarm) and the notification dead-letter queue (any message in it is one).
   */
  private alertingAlarms(prefix: string, stateful: StatefulStack, action: actions.SnsAction): void {
    new cloudwatch.Alarm(this, 'evaluator-heartbeat-alarm', {
      alarmName: `${prefix}-evaluator-heartbeat`,
      alarmDescription: 'Vigil alert evaluation has not completed for 5 minutes: alerts are not being evaluated',
      metric: new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: HEARTBEAT_METRIC,
        dimensionsMap: { service: HEARTBEAT_SERVICE },
        statistic: 'Sum',
        period: Duration.minutes(1),
      }),
      threshold: 1,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    }).addAlarmAction(action);
    for (const name of QUEUE_NAMES) {
      new cloudwatch.Alarm(this, `${name}-alarm`, {
        alarmName: `${prefix}-notification-dead-letters`,
        alarmDescription:
          'Vigil notifications could not be published after their retries and are in the dead-letter queue',
        metric: stateful.queues[name].metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(action);
    }
  }
}

const READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/** Least privilege on one table: its ARN and its named indexes only (no `index/*` wildcard). */
function tableStatement(table: dynamodb.Table, spec: TableSpec, access: Access): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: access === 'readwrite' ? [...READ_ACTIONS, ...WRITE_ACTIONS] : READ_ACTIONS,
    resources: [table.tableArn, ...spec.indexes.map((index) => `${table.tableArn}/index/${index.name}`)],
  });
}
