import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { StepMessage, StepQueue } from '../../functions/core/verification/ports.js';
import { lambdaContext } from './lambda-context.js';

/**
 * Local mode's SQS: each message is held for its delay (a timer), then handed to the consumer (the
 * verification worker) in an SQS-shaped event. A message the consumer reports as failed is delivered again
 * after `redeliverMs`, at most `maxReceives` times, then dropped with a line (SQS would move it to the DLQ).
 */
export type SqsHandler = (
  event: SQSEvent,
  context: ReturnType<typeof lambdaContext>,
) => Promise<SQSBatchResponse | undefined>;

export interface LocalStepQueue extends StepQueue {
  /** The consumer, set once the worker's handler is made. */
  attach(handler: SqsHandler): void;
  /** Stops the timers and waits for deliveries in flight. */
  close(): Promise<void>;
}

export function localStepQueue(
  options: { redeliverMs?: number; maxReceives?: number; onDrop?: (line: string) => void } = {},
): LocalStepQueue {
  const redeliverMs = options.redeliverMs ?? 2_000;
  const maxReceives = options.maxReceives ?? 5;
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  let handler: SqsHandler | undefined;
  let closed = false;

  const later = (ms: number, run: () => Promise<void>) => {
    if (closed) return;
    const t = setTimeout(() => {
      timers.delete(t);
      const p = run().finally(() => inFlight.delete(p));
      inFlight.add(p);
    }, ms);
    timers.add(t);
  };

  const deliver = (body: string, receives: number): Promise<void> =>
    (async () => {
      if (closed) return;
      if (!handler) {
        later(redeliverMs, () => deliver(body, receives));
        return;
      }
      const messageId = randomUUID();
      const record = {
        messageId,
        receiptHandle: messageId,
        body,
        attributes: { ApproximateReceiveCount: String(receives) },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:local:000000000000:vigil-local-verify-steps',
        awsRegion: 'local',
      } as unknown as SQSRecord;
      let failed = false;
      try {
        const out = await handler({ Records: [record] }, lambdaContext('verifyWorker', 60));
        failed = (out?.batchItemFailures ?? []).some((f) => f.itemIdentifier === messageId);
      } catch {
        failed = true;
      }
      if (!failed) return;
      if (receives >= maxReceives)
        options.onDrop?.(`[verify] step message dropped after ${receives} receives: ${body}`);
      else later(redeliverMs, () => deliver(body, receives + 1));
    })();

  return {
    attach: (h) => {
      handler = h;
    },
    send: async (message: StepMessage, delaySeconds: number) => {
      const body = JSON.stringify({ vigilVerificationStep: message });
      later(Math.max(0, delaySeconds) * 1_000, () => deliver(body, 1));
    },
    close: async () => {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.allSettled([...inFlight]);
    },
  };
}
