import { Duration, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FUNCTION_NAMES, FUNCTIONS, type FunctionName, type FunctionSpec } from '../functions/catalog/functions.js';

/** Invoked asynchronously: by a schedule, by itself (fan-out), or by another function (`asyncInvoked`). */
export const isAsync = (spec: FunctionSpec): boolean => Boolean(spec.schedule || spec.selfInvoke || spec.asyncInvoked);

export interface DeadLettersProps {
  /** `vigil-<stage>`, the start of every queue name. */
  readonly prefix: string;
  readonly functions: Readonly<Record<FunctionName, lambda.Function>>;
  /** How long a failed event is kept for a person to look at and replay. @default Duration.days(14) */
  readonly retention?: Duration;
}

/**
 * A dead-letter queue for every asynchronously invoked function of the catalogue, so no failed invocation is
 * lost silently: the function's on-failure destination (after Lambda's retries) and, for scheduled functions,
 * the EventBridge target's dead-letter queue (events EventBridge could not deliver) are the same queue.
 * Scheduled runs are not retried by Lambda (the next scheduled run does the same work, and a late retry would
 * overlap it); events older than two schedule periods are dropped into the queue. Other asynchronous
 * invocations get Lambda's two retries within six hours. A function whose asynchronous invocation was
 * configured elsewhere keeps that configuration (and its own destination). `lib/monitoring.ts` alarms on
 * every queue's depth.
 */
export class DeadLetters extends Construct {
  readonly queues: Partial<Record<FunctionName, sqs.Queue>> = {};

  constructor(scope: Construct, id: string, props: DeadLettersProps) {
    super(scope, id);
    for (const name of FUNCTION_NAMES) {
      const spec: FunctionSpec = FUNCTIONS[name];
      if (!isAsync(spec)) continue;
      const queue = new sqs.Queue(this, name, {
        queueName: `${props.prefix}-${name}-dlq`,
        retentionPeriod: props.retention ?? Duration.days(14),
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
      });
      Validations.of(queue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: `This queue is itself the dead-letter queue of the ${name} function (its on-failure destination${spec.schedule ? ' and its schedule target’s dead-letter queue' : ''}); it has a depth alarm.`,
      });
      this.queues[name] = queue;
      const fn = props.functions[name];
      if (fn.node.tryFindChild('EventInvokeConfig')) continue;
      fn.configureAsyncInvoke({
        onFailure: new destinations.SqsDestination(queue),
        retryAttempts: spec.schedule ? 0 : 2,
        maxEventAge: spec.schedule
          ? Duration.seconds(Math.max(120, 2 * spec.schedule.everySeconds))
          : Duration.hours(6),
      });
    }
  }
}
