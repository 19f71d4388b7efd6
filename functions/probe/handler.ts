import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { DynamoDbProbeHistory } from '../adapters/dynamodb-probe-history.js';
import { DynamoDbTargetStore } from '../adapters/dynamodb-target-store.js';
import { HttpProber } from '../adapters/http-prober.js';
import { InProcessDispatcher, isProbeBatchEvent, LambdaDispatcher } from '../adapters/lambda-dispatcher.js';
import { type ProbeRunDeps, type RunSummary, runBatch, runScheduled } from '../core/probing/run-probes.js';
import type { FunctionEnv } from '../platform/config.js';
import { lambdaHandler } from '../platform/lambda-handler.js';
import type { Observability } from '../platform/observability.js';
import { type RuntimeOverrides, runtime } from '../platform/runtime.js';
import { scheduledFunction } from '../platform/scheduled-function.js';

/** Time kept back from the invocation's timeout to store a batch's results. */
const STORE_RESERVE_MS = 5_000;

export interface ProbeOverrides extends RuntimeOverrides {
  /** The Lambda client for self-invocations (tests inject a mock). */
  readonly lambda?: LambdaClient;
}

function report({ metrics, logger }: Observability, summary: RunSummary): RunSummary {
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

export function createHandler(env: FunctionEnv, overrides: ProbeOverrides = {}) {
  const rt = runtime('probe', env, overrides);
  const { settings } = rt;
  const table = rt.table('probes');
  const self = settings.selfFunctionName;
  const lambda = self ? (overrides.lambda ?? new LambdaClient({})) : undefined;

  const base: Omit<ProbeRunDeps, 'dispatcher'> = {
    targets: new DynamoDbTargetStore(rt.db, table),
    history: new DynamoDbProbeHistory(rt.db, table, settings.probeRetentionDays, rt.clock),
    prober: new HttpProber({ maxBodyBytes: settings.probeMaxBodyBytes }),
    now: rt.clock,
    concurrency: settings.probeConcurrency,
    batchSize: settings.probeBatchSize,
  };

  /** Per invocation: its deadline, and where further batches go (another invocation, or this process locally). */
  function depsFor(remainingMs: number): ProbeRunDeps {
    const deps: ProbeRunDeps = {
      ...base,
      deadline: rt.clock() + remainingMs - STORE_RESERVE_MS,
      dispatcher:
        lambda && self
          ? new LambdaDispatcher(lambda, self)
          : new InProcessDispatcher((ids, runAt) => runBatch(deps, ids, runAt).then((s) => report(rt.obs, s))),
    };
    return deps;
  }

  return scheduledFunction({
    name: 'probe',
    obs: rt.obs,
    run: async (event, context) => {
      const deps = depsFor(context.getRemainingTimeInMillis());
      const summary = isProbeBatchEvent(event)
        ? await runBatch(deps, event.vigilProbeBatch.ids, event.vigilProbeBatch.runAt)
        : await runScheduled(deps);
      report(rt.obs, summary);
      return {
        due: summary.due,
        probed: summary.probed,
        skipped: summary.skipped,
        failures: summary.failures,
        durationMs: summary.durationMs,
      };
    },
  });
}

export const handler = lambdaHandler(createHandler);
