import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { CloudWatchAlertReader } from '../adapters/alert-data-cloudwatch.js';
import { vigilAlertData } from '../adapters/alert-data-vigil.js';
import { AwsSecretResolver } from '../adapters/aws-secret-resolver.js';
import { CloudWatchMetricSource } from '../adapters/cloudwatch-metric-source.js';
import { DynamoDbAlertStore } from '../adapters/dynamodb-alert-store.js';
import { DynamoDbRuleStore } from '../adapters/dynamodb-rule-store.js';
import { DynamoDbTargetStore } from '../adapters/dynamodb-target-store.js';
import { DynamoDbTelemetryReader } from '../adapters/dynamodb-telemetry-reader.js';
import { DynamoDbVerificationStore } from '../adapters/dynamodb-verification-store.js';
import { DynamoDbVersionTelemetry } from '../adapters/dynamodb-version-telemetry.js';
import { GuardedHttpClient } from '../adapters/guarded-http.js';
import { HttpProber } from '../adapters/http-prober.js';
import { SignedWebhookSender } from '../adapters/signed-webhook.js';
import { stepMessageOf } from '../adapters/sqs-step-queue.js';
import { NotifierDeploymentPublisher, ProberHealthCheck } from '../adapters/verification-delivery.js';
import type { AlertStore } from '../core/alerting/ports.js';
import { secretSource } from '../core/probing/secret-ref.js';
import type { StepQueue } from '../core/verification/ports.js';
import { ruleSloReader } from '../core/verification/rule-slo-reader.js';
import { type FlowDeps, RetryLaterError, runStep } from '../core/verification/run-step.js';
import type { FunctionEnv } from '../platform/config.js';
import { lambdaHandler } from '../platform/lambda-handler.js';
import { publishMetrics } from '../platform/metrics-middleware.js';
import { loggedNotifier } from '../platform/notifier.js';
import { type RuntimeOverrides, runtime } from '../platform/runtime.js';
import { urlPolicyOf } from '../platform/url-policy-setting.js';
import { stepQueueOf } from '../verify/handler.js';

/**
 * The verification worker: consumes step messages (SQS in AWS through an event source mapping with
 * partial batch failures; local mode's in-process queue), and runs each step (`runStep`). A message ahead
 * of its record is put back with a short delay, at most `MAX_RETRIES` times; any other failure is reported
 * for that message only, so SQS redelivers it after the visibility timeout and, after its receive count,
 * moves it to the dead-letter queue (alarmed).
 */
export interface WorkerOverrides extends RuntimeOverrides {
  readonly stepQueue?: StepQueue;
  /** The alerts listed with the verdict. @default the alert store in the alerts table */
  readonly alerts?: AlertStore;
  /** DNS for the guarded client (tests). */
  readonly resolve?: ConstructorParameters<typeof GuardedHttpClient>[0]['resolve'];
}

export const MAX_RETRIES = 10;

function once<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => {
    made ??= make();
    return made;
  };
}

export function createHandler(env: FunctionEnv, overrides: WorkerOverrides = {}) {
  const rt = runtime('verifyWorker', env, overrides);
  const { settings, obs } = rt;
  const minIntervalMs = settings.verifyMinIntervalSeconds * 1_000;
  const policy = urlPolicyOf(settings);
  const resolve = overrides.resolve ? { resolve: overrides.resolve } : {};
  const reader = new DynamoDbTelemetryReader(rt.db, rt.table('telemetry'), rt.clock);
  const telemetry = new DynamoDbVersionTelemetry(reader, settings.rollupStepSeconds);
  const cloudwatch = once(() => new CloudWatchMetricSource(new CloudWatchClient({})));
  const secretSetting = settings.verifyWebhookSecret;
  const secrets = new AwsSecretResolver({
    secretsManager: once(() => new SecretsManagerClient({})),
    ssm: once(() => new SSMClient({})),
    now: rt.clock,
  });
  const queue = stepQueueOf(settings.verifyQueueUrl, overrides.stepQueue);
  const store = new DynamoDbVerificationStore(rt.db, rt.table('deployments'), settings.verifyRetentionDays, rt.clock);

  const cloudWatchAlerts = once(() => new CloudWatchAlertReader(new CloudWatchClient({})));
  // The errorBudget check reads the burn_rate rule and its counters as the alert evaluator does.
  const sloData = vigilAlertData({
    reader,
    targets: new DynamoDbTargetStore(rt.db, rt.table('probes')),
    stepSeconds: settings.rollupStepSeconds,
    cloudWatch: { read: (queries) => cloudWatchAlerts().read(queries) },
    now: rt.clock,
  });

  const deps: FlowDeps = {
    store,
    queue,
    publisher: new NotifierDeploymentPublisher(loggedNotifier(rt)),
    webhook: new SignedWebhookSender(new GuardedHttpClient({ policy, ...resolve }), async () =>
      secretSetting && secretSource(secretSetting) ? secrets.resolve(secretSetting) : secretSetting,
    ),
    telemetry,
    cloudwatch: { series: (...args) => cloudwatch().series(...args) },
    errors: telemetry,
    slo: ruleSloReader(new DynamoDbRuleStore(rt.db, rt.table('alerts')), sloData),
    prober: new ProberHealthCheck(new HttpProber({ policy, ...resolve })),
    alerts: overrides.alerts ?? new DynamoDbAlertStore(rt.db, rt.table('alerts')),
    now: rt.clock,
    options: { minIntervalMs },
  };

  const core = async (event: SQSEvent, _context: Context): Promise<SQSBatchResponse> => {
    const failures: { itemIdentifier: string }[] = [];
    await Promise.all(
      (event.Records ?? []).map(async (record) => {
        const message = stepMessageOf(record.body);
        if (!message) {
          obs.logger.error('not a verification step message; dropped', { messageId: record.messageId });
          return;
        }
        try {
          const outcome = await runStep(message, deps);
          obs.metrics.addMetric('VerificationSteps', MetricUnit.Count, 1);
          obs.logger.info('verification step', { verificationId: message.id, step: message.step, outcome });
        } catch (error) {
          if (error instanceof RetryLaterError) {
            const retry = (message.retry ?? 0) + 1;
            if (retry > MAX_RETRIES) {
              obs.logger.error('verification step dropped after retries', { ...message, detail: error.message });
              return;
            }
            await queue.send({ ...message, retry }, Math.ceil((minIntervalMs * Math.min(retry, 5)) / 1_000));
            return;
          }
          obs.logger.error('verification step failed', error as Error);
          obs.metrics.addMetric('VerificationStepFailures', MetricUnit.Count, 1);
          failures.push({ itemIdentifier: record.messageId });
        }
      }),
    );
    return { batchItemFailures: failures };
  };

  return middy(core)
    .use(captureLambdaHandler(obs.tracer, { captureResponse: false }))
    .use(injectLambdaContext(obs.logger, { resetKeys: true, logEvent: false }))
    .use(publishMetrics(obs.metrics)) as unknown as (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
}

export const handler = lambdaHandler(createHandler);
