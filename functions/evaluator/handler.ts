import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDbRuleStore } from '../adapters/dynamodb-rule-store.js';
import type { FunctionEnv } from '../platform/config.js';
import { lambdaHandler } from '../platform/lambda-handler.js';
import { type RuntimeOverrides, runtime } from '../platform/runtime.js';
import { scheduledFunction } from '../platform/scheduled-function.js';
import { HEARTBEAT_METRIC } from './heartbeat.js';

/**
 * The alert evaluator, run by EventBridge every minute (a timer every `VIGIL_EVAL_INTERVAL` seconds in
 * local mode). Each run that completes publishes the `EvaluatorHeartbeat` metric; the heartbeat alarm
 * (missing data counts as breaching) tells the critical topic when evaluations stop.
 */

export interface EvaluatorSummary {
  readonly rules: number;
  readonly durationMs: number;
}

export function createHandler(env: FunctionEnv, overrides: RuntimeOverrides = {}) {
  const rt = runtime('evaluator', env, overrides);
  const rules = new DynamoDbRuleStore(rt.db, rt.table('alerts'));
  const { metrics, logger } = rt.obs;

  return scheduledFunction({
    name: 'evaluator',
    obs: rt.obs,
    run: async (): Promise<EvaluatorSummary> => {
      const started = rt.clock();
      const loaded = await rules.list();
      const summary: EvaluatorSummary = { rules: loaded.length, durationMs: rt.clock() - started };
      metrics.addMetric(HEARTBEAT_METRIC, MetricUnit.Count, 1);
      metrics.addMetric('Rules', MetricUnit.Count, summary.rules);
      metrics.addMetric('EvaluationDuration', MetricUnit.Milliseconds, summary.durationMs);
      logger.info('evaluation done', { ...summary });
      return summary;
    },
  });
}

export const handler = lambdaHandler(createHandler);
