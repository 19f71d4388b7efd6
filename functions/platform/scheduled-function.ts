import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import type { FunctionName } from '../catalog/functions.js';
import { publishMetrics } from './metrics-middleware.js';
import type { Observability } from './observability.js';

/**
 * A function invoked by an EventBridge schedule (a timer in local mode), with the same Powertools stack
 * as the HTTP functions. An error is logged and rethrown so the invocation counts as failed (and the
 * function's error alarm sees it).
 */
export interface ScheduledFunctionOptions<R> {
  readonly name: FunctionName;
  readonly obs: Observability;
  readonly run: (event: ScheduledEvent, context: Context) => Promise<R>;
}

export function scheduledFunction<R>(
  options: ScheduledFunctionOptions<R>,
): (event: ScheduledEvent, context: Context) => Promise<R> {
  const { logger, metrics, tracer } = options.obs;
  const core = async (event: ScheduledEvent, context: Context): Promise<R> => {
    try {
      return await options.run(event, context);
    } catch (error) {
      logger.error(`${options.name} run failed`, error as Error);
      throw error;
    }
  };
  return middy(core)
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
    .use(publishMetrics(metrics)) as unknown as (event: ScheduledEvent, context: Context) => Promise<R>;
}
