import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchAlertReader } from '../adapters/alert-data-cloudwatch.js';
import { vigilAlertData } from '../adapters/alert-data-vigil.js';
import { DynamoDbRuleStore } from '../adapters/dynamodb-rule-store.js';
import { DynamoDbTargetStore } from '../adapters/dynamodb-target-store.js';
import { DynamoDbTelemetryReader } from '../adapters/dynamodb-telemetry-reader.js';
import { DynamoDbTransitionLog } from '../adapters/dynamodb-transition-log.js';
import { DynamoDbVerificationStore } from '../adapters/dynamodb-verification-store.js';
import { VerificationDeployWindows } from '../adapters/verification-delivery.js';
import { createEvaluator } from '../core/alerting/evaluate.js';
import type { StoredRuleStatus } from '../core/alerting/rule-records.js';
import { runEvaluation } from '../core/alerting/run-evaluation.js';
import { loggingTransitions } from '../core/alerting/transition-log.js';
import { type AlertPipelineOverrides, alertPipelinePorts } from '../platform/alert-pipeline.js';
import type { FunctionEnv } from '../platform/config.js';
import { lambdaHandler } from '../platform/lambda-handler.js';
import { type RuntimeOverrides, runtime } from '../platform/runtime.js';
import { scheduledFunction } from '../platform/scheduled-function.js';
import { HEARTBEAT_METRIC } from './heartbeat.js';
import { type InvalidStoredRule, storedRuleSource } from './rule-source.js';

/**
 * The alert evaluator, run by EventBridge every minute (a timer every `VIGIL_EVAL_INTERVAL` seconds in
 * local mode): one `runEvaluation` (rules × data → alert state on its version → notification pipeline →
 * outbox → delivery), then each rule's last evaluation is stored for `GET /v1/rules`. Each completed run
 * publishes the `EvaluatorHeartbeat` metric; the heartbeat alarm (missing data breaching) tells the
 * critical topic when evaluations stop.
 */
export interface EvaluatorOverrides extends RuntimeOverrides, AlertPipelineOverrides {
  readonly cloudWatch?: CloudWatchClient;
}

export function createHandler(env: FunctionEnv, overrides: EvaluatorOverrides = {}) {
  const rt = runtime('evaluator', env, overrides);
  const { metrics, logger } = rt.obs;
  const table = rt.table('alerts');
  const ports = alertPipelinePorts(rt, overrides);
  const rules = new DynamoDbRuleStore(rt.db, table);
  const transitions = new DynamoDbTransitionLog(rt.db, table, rt.settings.notificationRetentionDays);
  // Read only here (running verifications of a service); the retention is the writer's business.
  const verifications = new VerificationDeployWindows(
    new DynamoDbVerificationStore(rt.db, rt.table('deployments'), rt.settings.notificationRetentionDays, rt.clock),
  );
  const data = vigilAlertData({
    reader: new DynamoDbTelemetryReader(rt.db, rt.table('telemetry'), rt.clock),
    targets: new DynamoDbTargetStore(rt.db, rt.table('probes')),
    stepSeconds: rt.settings.rollupStepSeconds,
    cloudWatch: new CloudWatchAlertReader(overrides.cloudWatch ?? new CloudWatchClient({})),
    now: rt.clock,
  });

  return scheduledFunction({
    name: 'evaluator',
    obs: rt.obs,
    run: async () => {
      const started = rt.clock();
      const invalid: InvalidStoredRule[] = [];
      const evaluator = createEvaluator({
        rules: storedRuleSource(rules, (i) => invalid.push(i)),
        data,
        onRuleError: (ruleId, error) => logger.warn('rule evaluation failed', { ruleId, error: String(error) }),
      });
      const logged = loggingTransitions(evaluator, ports.alerts, transitions);
      const summary = await runEvaluation({
        ...ports,
        evaluator: logged.evaluator,
        alerts: logged.store,
        deployWindows: verifications,
        now: rt.clock,
      });
      const durationMs = rt.clock() - started;
      const statuses: StoredRuleStatus[] = [
        ...summary.statuses.map((s) => ({ ...s, durationMs })),
        ...invalid.map((i) => ({
          ruleId: i.rule.id,
          evaluatedAt: summary.evaluatedAt,
          health: 'error' as const,
          error: `the stored rule no longer parses: ${i.issues.map((v) => `${v.path}: ${v.message}`).join('; ')}`,
          active: 0,
        })),
      ];
      await rules.putStatuses(statuses);
      metrics.addMetric(HEARTBEAT_METRIC, MetricUnit.Count, 1);
      metrics.addMetric('RulesEvaluated', MetricUnit.Count, summary.statuses.length);
      metrics.addMetric('RuleErrors', MetricUnit.Count, statuses.filter((s) => s.health === 'error').length);
      metrics.addMetric('AlertTransitions', MetricUnit.Count, summary.transitions);
      metrics.addMetric('NotificationsSent', MetricUnit.Count, summary.dispatch.sent);
      metrics.addMetric('NotificationsFailed', MetricUnit.Count, summary.dispatch.failed);
      metrics.addMetric('NotificationsDead', MetricUnit.Count, summary.dispatch.dead);
      metrics.addMetric('EvaluationDuration', MetricUnit.Milliseconds, durationMs);
      const result = {
        rules: summary.statuses.length,
        transitions: summary.transitions,
        conflicts: summary.conflicts,
        created: summary.created,
        sent: summary.dispatch.sent,
        failed: summary.dispatch.failed,
        dead: summary.dispatch.dead,
        durationMs,
      };
      logger.info('evaluation done', result);
      return result;
    },
  });
}

export const handler = lambdaHandler(createHandler);
