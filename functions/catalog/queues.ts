/**
 * SQS queues, defined once for the CDK stacks. `deadLetters` receives each notification that still failed
 * to publish after the outbox's retries (with an alarm on it); local mode has no queue, and such a
 * notification stays in the outbox marked `dead`.
 */
export const QUEUES = {
  deadLetters: { envVar: 'VIGIL_QUEUE_DEAD_LETTERS' },
} as const;

export type QueueName = keyof typeof QUEUES;

export const QUEUE_NAMES = Object.keys(QUEUES) as QueueName[];
