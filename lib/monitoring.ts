import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FUNCTION_NAMES, FUNCTIONS, type FunctionName, type FunctionSpec } from '../functions/catalog/functions.js';
import { KINDS } from '../functions/core/telemetry/model.js';
import { METRICS_NAMESPACE } from '../functions/platform/observability.js';

export interface MonitoringProps {
  /** `vigil-<stage>`, the start of every alarm name. */
  readonly prefix: string;
  readonly functions: Readonly<Record<FunctionName, lambda.Function>>;
  /** The dead-letter queues of the asynchronous functions (lib/dead-letters.ts). */
  readonly deadLetterQueues: Partial<Record<FunctionName, sqs.IQueue>>;
  /** Where every alarm goes: the `critical` topic. */
  readonly alarmTopic: sns.ITopic;
  readonly apiStage: apigwv2.IHttpStage;
  /**
   * Where to look for queues with a redrive policy (the dead-letter queue of a function fed by SQS): each
   * such dead-letter queue gets a depth alarm too. @default - this construct's stack
   */
  readonly queueScopes?: readonly Construct[];
  /** p99 duration at or above this share of the timeout, in 2 of 3 five-minute periods, is an alarm. @default 0.8 */
  readonly durationAlarmShare?: number;
  /** Telemetry items refused by ingest (all kinds) in five minutes that make an alarm. @default 100 */
  readonly ingestRejectedItemsThreshold?: number;
  /** Ingest requests refused whole (4xx) in five minutes that make an alarm. @default 50 */
  readonly ingestRejectedRequestsThreshold?: number;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * Watching the watcher, generic over the function catalogue: on every Vigil function an alarm when its p99
 * duration nears its timeout, on every dead-letter queue an alarm at its first message, on ingest an alarm
 * when it refuses many items or requests (a client sending bad data, or a limit reached), all to the
 * `critical` topic; and a CloudWatch dashboard of Vigil itself. (Errors and throttles of every function and
 * API 5xx are alarmed in service-stack.ts.) Built last in the stack, so the dashboard's alarm panel lists
 * every alarm of the stack.
 */
export class VigilMonitoring extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const action = new actions.SnsAction(props.alarmTopic);
    const alarm = (name: string, options: Omit<cloudwatch.AlarmProps, 'alarmName'>) => {
      const made = new cloudwatch.Alarm(this, `${name}-alarm`, {
        alarmName: `${props.prefix}-${name}`,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        ...options,
      });
      made.addAlarmAction(action);
      this.alarms.push(made);
      return made;
    };

    const share = props.durationAlarmShare ?? 0.8;
    for (const name of FUNCTION_NAMES) {
      const spec: FunctionSpec = FUNCTIONS[name];
      const timeoutMs = (spec.timeoutSeconds ?? 10) * 1000;
      alarm(`${name}-duration`, {
        alarmDescription: `Vigil ${name} function: p99 duration at ${Math.round(share * 100)}% of its ${timeoutMs / 1000} s timeout or more; invocations are about to time out`,
        metric: props.functions[name].metricDuration({ statistic: 'p99', period: FIVE_MINUTES }),
        threshold: Math.round(share * timeoutMs),
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
      });
    }
    for (const [name, queue] of Object.entries(props.deadLetterQueues) as [FunctionName, sqs.IQueue][]) {
      alarm(`${name}-dead-letters`, {
        alarmDescription: `Vigil ${name} function: an asynchronous invocation failed after its retries (or was never delivered) and is in its dead-letter queue`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: FIVE_MINUTES }),
        threshold: 1,
        evaluationPeriods: 1,
      });
    }
    for (const [id, queue] of redriveTargets(
      Stack.of(this),
      props.queueScopes ?? [Stack.of(this)],
      props.deadLetterQueues,
    )) {
      alarm(`${id}-dead-letters`, {
        alarmDescription: `Vigil queue ${id}: messages that failed their processing after the redrive policy's receives are in this dead-letter queue`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: FIVE_MINUTES }),
        threshold: 1,
        evaluationPeriods: 1,
      });
    }
    const ingest = ownMetric('ingest');
    const rejectedItems = new cloudwatch.MathExpression({
      expression: KINDS.map((_, i) => `FILL(r${i}, 0)`).join(' + '),
      usingMetrics: Object.fromEntries(KINDS.map((kind, i) => [`r${i}`, ingest(`Rejected${capital(kind)}`)])),
      label: 'Telemetry items refused',
      period: FIVE_MINUTES,
    });
    alarm('ingest-rejected-items', {
      alarmDescription:
        'Vigil ingest refused many telemetry items in 5 minutes (invalid items, too old or in the future, series limit)',
      metric: rejectedItems,
      threshold: props.ingestRejectedItemsThreshold ?? 100,
      evaluationPeriods: 1,
    });
    alarm('ingest-rejected-requests', {
      alarmDescription: 'Vigil ingest refused many whole requests in 5 minutes (4xx: token, body, size)',
      metric: ingest('RequestsRejected'),
      threshold: props.ingestRejectedRequestsThreshold ?? 50,
      evaluationPeriods: 1,
    });

    this.dashboard = this.buildDashboard(props, rejectedItems);
  }

  private buildDashboard(props: MonitoringProps, rejectedItems: cloudwatch.IMetric): cloudwatch.Dashboard {
    const fns = FUNCTION_NAMES.map((name) => ({ name, fn: props.functions[name] }));
    const perFunction = (title: string, metric: (fn: lambda.Function) => cloudwatch.Metric) =>
      new cloudwatch.GraphWidget({
        title,
        width: 6,
        left: fns.map(({ name, fn }) => metric(fn).with({ label: name, period: FIVE_MINUTES })),
      });
    const stackAlarms = Stack.of(this)
      .node.findAll()
      .filter((c): c is cloudwatch.Alarm => c instanceof cloudwatch.Alarm);
    const ingest = ownMetric('ingest');
    const probe = ownMetric('probe');
    const stage = props.apiStage;
    const dashboard = new cloudwatch.Dashboard(this, 'dashboard', {
      dashboardName: `${props.prefix}-vigil`,
      defaultInterval: Duration.hours(6),
    });
    // An alarm status widget shows at most 100 alarms.
    for (let i = 0; i < stackAlarms.length; i += 100) {
      const title = i === 0 ? 'Vigil alarms' : `Vigil alarms (${i + 1}–)`;
      dashboard.addWidgets(
        new cloudwatch.AlarmStatusWidget({ title, alarms: stackAlarms.slice(i, i + 100), width: 24, height: 6 }),
      );
    }
    dashboard.addWidgets(
      perFunction('Invocations', (fn) => fn.metricInvocations({ statistic: 'Sum' })),
      perFunction('Errors', (fn) => fn.metricErrors({ statistic: 'Sum' })),
      perFunction('Throttles', (fn) => fn.metricThrottles({ statistic: 'Sum' })),
      perFunction('Duration p99 (ms)', (fn) => fn.metricDuration({ statistic: 'p99' })),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'API requests',
        width: 8,
        left: [
          stage.metricCount({ period: FIVE_MINUTES, label: 'requests' }),
          stage.metricClientError({ period: FIVE_MINUTES, label: '4xx' }),
          stage.metricServerError({ period: FIVE_MINUTES, label: '5xx' }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'API latency (ms)',
        width: 8,
        left: [
          stage.metricLatency({ period: FIVE_MINUTES, statistic: 'p50', label: 'p50' }),
          stage.metricLatency({ period: FIVE_MINUTES, statistic: 'p99', label: 'p99' }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Dead-letter queues (messages)',
        width: 8,
        left: (Object.entries(props.deadLetterQueues) as [FunctionName, sqs.IQueue][]).map(([name, q]) =>
          q.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: FIVE_MINUTES, label: name }),
        ),
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Ingest: items accepted and refused',
        width: 8,
        left: KINDS.map((kind) => ingest(`Accepted${capital(kind)}`).with({ label: `accepted ${kind}` })),
        right: [rejectedItems],
      }),
      new cloudwatch.GraphWidget({
        title: 'Probing',
        width: 8,
        left: ['ProbesRun', 'ProbeFailures', 'StatusTransitions', 'ProbesSkipped'].map((m) =>
          probe(m).with({ label: m }),
        ),
      }),
      new cloudwatch.GraphWidget({
        title: 'Concurrent executions (max)',
        width: 8,
        left: fns.map(({ name, fn }) =>
          fn.metric('ConcurrentExecutions', { statistic: 'Maximum', period: FIVE_MINUTES, label: name }),
        ),
      }),
    );
    return dashboard;
  }
}

/**
 * Dead-letter queues of redrive policies under `scopes`, by their construct id, besides those watched here
 * and those an alarm of the stack already watches (its metric's `QueueName` dimension is the queue's name).
 */
function redriveTargets(
  stack: Stack,
  scopes: readonly Construct[],
  watched: Partial<Record<FunctionName, sqs.IQueue>>,
): Map<string, sqs.IQueue> {
  const known = new Set<sqs.IQueue>(Object.values(watched));
  const key = (value: unknown) => JSON.stringify(stack.resolve(value));
  const alarmed = new Set<string>();
  for (const c of stack.node.findAll()) {
    if (c instanceof cloudwatch.Alarm && c.metric instanceof cloudwatch.Metric && c.metric.dimensions?.QueueName) {
      alarmed.add(key(c.metric.dimensions.QueueName));
    }
  }
  const found = new Map<string, sqs.IQueue>();
  for (const scope of scopes) {
    for (const c of scope.node.findAll()) {
      const dlq = c instanceof sqs.Queue ? c.deadLetterQueue?.queue : undefined;
      if (dlq && !known.has(dlq) && !alarmed.has(key(dlq.queueName))) {
        known.add(dlq);
        found.set(dlq.node.id, dlq);
      }
    }
  }
  return found;
}

const capital = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/** A metric a Vigil function publishes itself (Powertools EMF: namespace `Vigil`, dimension `service`). */
const ownMetric =
  (fn: FunctionName) =>
  (metricName: string): cloudwatch.Metric =>
    new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { service: `vigil-${fn}` },
      statistic: 'Sum',
      period: FIVE_MINUTES,
    });
