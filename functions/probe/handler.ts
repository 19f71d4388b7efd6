import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AwsSecretResolver } from '../adapters/aws-secret-resolver.js';
import { DynamoDbProbeHistory } from '../adapters/dynamodb-probe-history.js';
import { DynamoDbTargetStore } from '../adapters/dynamodb-target-store.js';
import { HttpProber } from '../adapters/http-prober.js';
import { InProcessDispatcher, isProbeBatchEvent, LambdaDispatcher } from '../adapters/lambda-dispatcher.js';
import { type ProbeRunDeps, type RunSummary, runBatch, runScheduled } from '../core/probing/run-probes.js';
import { readConfig, tableName } from '../platform/config.js';
import { runtime } from '../platform/runtime.js';
import { scheduledFunction } from '../platform/scheduled-function.js';
import { probeSettingsSchema, urlPolicyOf } from './settings.js';

const rt = runtime('probe');
const settings = readConfig(probeSettingsSchema, rt.env);
const table = tableName('probes', rt.env);

function once<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => {
    made ??= make();
    return made;
  };
}

/** Time kept back from the invocation's timeout to store a batch's results. */
const STORE_RESERVE_MS = 5_000;
const lambda = settings.VIGIL_SELF_FUNCTION_NAME ? new LambdaClient({}) : undefined;

const base: Omit<ProbeRunDeps, 'dispatcher'> = {
  targets: new DynamoDbTargetStore(rt.db, table),
  history: new DynamoDbProbeHistory(rt.db, table, settings.VIGIL_PROBE_RETENTION_DAYS, rt.clock),
  prober: new HttpProber({ policy: urlPolicyOf(settings), maxBodyBytes: settings.VIGIL_PROBE_MAX_BODY_BYTES }),
  // Clients are made on first use: most deployments reference no secrets.
  secrets: new AwsSecretResolver({
    secretsManager: once(() => new SecretsManagerClient({})),
    ssm: once(() => new SSMClient({})),
    now: rt.clock,
  }),
  now: rt.clock,
  concurrency: settings.VIGIL_PROBE_CONCURRENCY,
  batchSize: settings.VIGIL_PROBE_BATCH_SIZE,
};

/** Per invocation: its deadline, and where further batches go (another invocation, or this process locally). */
function depsFor(remainingMs: number): ProbeRunDeps {
  const deps: ProbeRunDeps = {
    ...base,
    deadline: rt.clock() + remainingMs - STORE_RESERVE_MS,
    dispatcher:
      lambda && settings.VIGIL_SELF_FUNCTION_NAME
        ? new LambdaDispatcher(lambda, settings.VIGIL_SELF_FUNCTION_NAME)
        : new InProcessDispatcher((ids, runAt) => runBatch(deps, ids, runAt).then(report)),
  };
  return deps;
}

function report(summary: RunSummary): RunSummary {
  const { metrics, logger } = rt.obs;
  metrics.addMetric('ProbesRun', MetricUnit.Count, summary.probed);
  metrics.addMetric('ProbeFailures', MetricUnit.Count, summary.failures);
  metrics.addMetric('ProbeRunDuration', MetricUnit.Milliseconds, summary.durationMs);
  metrics.addMetric('StatusTransitions', MetricUnit.Count, summary.transitions.length);
  if (summary.skipped > 0) {
    metrics.addMetric('ProbesSkipped', MetricUnit.Count, summary.skipped);
    logger.warn('probes skipped: they could not finish before the invocation ends; they go first next run', {
      skipped: summary.skipped,
    });
  }
  if (summary.dispatchedBatches > 0)
    metrics.addMetric('ProbeBatchesDispatched', MetricUnit.Count, summary.dispatchedBatches);
  for (const t of summary.transitions) logger.info('target status changed', { ...t });
  logger.info('probe run done', {
    due: summary.due,
    probed: summary.probed,
    failures: summary.failures,
    durationMs: summary.durationMs,
    dispatchedBatches: summary.dispatchedBatches,
  });
  return summary;
}

export const handler = scheduledFunction({
  name: 'probe',
  obs: rt.obs,
  run: async (event, context) => {
    const deps = depsFor(context.getRemainingTimeInMillis());
    const summary = isProbeBatchEvent(event)
      ? await runBatch(deps, event.vigilProbeBatch.ids, event.vigilProbeBatch.runAt)
      : await runScheduled(deps);
    report(summary);
    return {
      due: summary.due,
      probed: summary.probed,
      skipped: summary.skipped,
      failures: summary.failures,
      durationMs: summary.durationMs,
    };
  },
});
