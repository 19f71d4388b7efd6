import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDbAlertStore } from '../adapters/dynamodb-alert-store.js';
import { DynamoDbOutboxStore } from '../adapters/dynamodb-outbox-store.js';
import { DynamoDbPipelineState } from '../adapters/dynamodb-pipeline-state.js';
import { DynamoDbSilenceStore } from '../adapters/dynamodb-silence-store.js';
import { DynamoDbTargetStore } from '../adapters/dynamodb-target-store.js';
import { LocalNotifier } from '../adapters/local-notifier.js';
import { ProbeTargetGraph } from '../adapters/probe-target-graph.js';
import { SnsNotifier } from '../adapters/sns-notifier.js';
import { LoggedDeadLetters, SqsDeadLetters } from '../adapters/sqs-dead-letters.js';
import type { FunctionName } from '../catalog/functions.js';
import { QUEUES } from '../catalog/queues.js';
import { readSettings } from '../catalog/setting-schema.js';
import { TOPIC_NAMES } from '../catalog/topics.js';
import type { EvaluationDeps } from '../core/alerting/run-evaluation.js';
import { topicArn } from './config.js';
import type { Runtime } from './runtime.js';

/** Clients a test injects (aws-sdk-client-mock works on any instance, but tests may pass their own). */
export interface AlertPipelineOverrides {
  readonly sns?: SNSClient;
  readonly sqs?: SQSClient;
  readonly print?: (line: string) => void;
}

export type AlertPipelinePorts = Pick<
  EvaluationDeps,
  'alerts' | 'outbox' | 'pipelineState' | 'silences' | 'targets' | 'notifier' | 'deadLetters' | 'log' | 'pipeline'
> & { readonly dashboardUrl?: string };

/**
 * The adapters of `runEvaluation` built from a function's runtime: the stores in the alerts table, the
 * target graph from the probes table (empty when not granted), SNS or the local notifier, and the SQS
 * dead-letter queue (`VIGIL_QUEUE_DEAD_LETTERS`; without it, a dead notification is logged and stays in
 * the notification log), the pipeline options and the dashboard URL from their settings. The caller adds
 * the evaluator, the deploy windows and the clock.
 */
export function alertPipelinePorts<F extends FunctionName>(
  rt: Runtime<F>,
  overrides: AlertPipelineOverrides = {},
): AlertPipelinePorts {
  const cfg = readSettings(
    ['notifier', 'webhooks', 'notificationRetentionDays', 'resolvedThroughSilence', 'dashboardUrl'],
    rt.env,
  );
  const table = rt.table('alerts');
  const log = (message: string, fields: Record<string, unknown>) => rt.obs.logger.warn(message, fields);
  const queueUrl = rt.env[QUEUES.deadLetters.envVar];
  const probes = rt.env.VIGIL_TABLE_PROBES ? rt.table('probes') : undefined;
  return {
    alerts: new DynamoDbAlertStore(rt.db, table),
    outbox: new DynamoDbOutboxStore(rt.db, table, cfg.notificationRetentionDays),
    pipelineState: new DynamoDbPipelineState(rt.db, table),
    silences: new DynamoDbSilenceStore(rt.db, table, cfg.notificationRetentionDays),
    targets: probes ? new ProbeTargetGraph(new DynamoDbTargetStore(rt.db, probes)) : { list: async () => [] },
    notifier:
      cfg.notifier === 'local'
        ? new LocalNotifier(cfg.webhooks, overrides.print ?? ((l) => process.stdout.write(`${l}\n`)))
        : new SnsNotifier(
            overrides.sns ?? new SNSClient({}),
            Object.fromEntries(TOPIC_NAMES.map((t) => [t, topicArn(t, rt.env)])),
          ),
    deadLetters: queueUrl
      ? new SqsDeadLetters(overrides.sqs ?? new SQSClient({}), queueUrl)
      : new LoggedDeadLetters(log),
    log,
    pipeline: { resolvedThroughSilence: cfg.resolvedThroughSilence === 'true' },
    ...(cfg.dashboardUrl ? { dashboardUrl: cfg.dashboardUrl } : {}),
  };
}
