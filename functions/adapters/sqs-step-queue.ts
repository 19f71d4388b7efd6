import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { StepMessage, StepQueue } from '../core/verification/ports.js';

/**
 * Step messages through SQS: `DelaySeconds` (at most 900) holds each until its step is due, so a waiting
 * verification costs nothing between steps; the worker's event source mapping delivers it at least once, a
 * failed step becomes visible again after the visibility timeout, and after `maxReceiveCount` it goes to the
 * dead-letter queue (with an alarm).
 */
export const MAX_DELAY_SECONDS = 900;

export class SqsStepQueue implements StepQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(message: StepMessage, delaySeconds: number): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify({ vigilVerificationStep: message }),
        DelaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(delaySeconds))),
      }),
    );
  }
}

/** The step message in an SQS record body, or undefined when the body is not one. */
export function stepMessageOf(body: string): StepMessage | undefined {
  try {
    const m = (JSON.parse(body) as { vigilVerificationStep?: Partial<StepMessage> }).vigilVerificationStep;
    if (m && typeof m.id === 'string' && Number.isInteger(m.step) && (m.step ?? -1) >= 0)
      return { id: m.id, step: m.step! };
  } catch {
    // not JSON
  }
  return undefined;
}
