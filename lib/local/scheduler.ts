import { randomUUID } from 'node:crypto';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { lambdaContext } from './lambda-context.js';

/**
 * Local mode's EventBridge: invokes a scheduled function every `intervalSeconds`. A run still going when
 * the next is due is not overlapped; the tick is skipped, as a Lambda at reserved concurrency 1 would.
 */
export type ScheduledHandler = (event: ScheduledEvent, context: Context) => Promise<unknown>;

export interface Schedule {
  stop(): Promise<void>;
  /**
   * A run that starts at this call or after it (used by tests and at start): when a run is already going
   * (a timer tick, the start-up run), it waits for that one and then runs again, since the one in flight
   * decided what was due before this call.
   */
  runNow(): Promise<void>;
}

export function scheduledEvent(ruleName: string, at = new Date()): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: at.toISOString(),
    region: 'local',
    resources: [`arn:aws:events:local:000000000000:rule/${ruleName}`],
    detail: {},
  };
}

export function schedule(
  name: string,
  intervalSeconds: number,
  handler: ScheduledHandler,
  onError: (error: unknown) => void,
): Schedule {
  let running: Promise<void> | undefined;
  const run = () => {
    if (running) return running;
    running = (async () => {
      try {
        await handler(scheduledEvent(`vigil-local-${name}`), lambdaContext(name, 60));
      } catch (error) {
        onError(error);
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  let queued: Promise<void> | undefined;
  const runNow = (): Promise<void> => {
    if (!running) return run();
    queued ??= running.then(() => {
      queued = undefined;
      return run();
    });
    return queued;
  };
  const timer = setInterval(() => void run(), intervalSeconds * 1000);
  timer.unref();
  return {
    runNow,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
