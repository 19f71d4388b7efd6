import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { BatchDispatcher } from '../core/probing/model.js';

/** The event a scheduled run sends to hand a batch of targets to another invocation of itself. */
export interface ProbeBatchEvent {
  readonly vigilProbeBatch: { readonly ids: readonly string[]; readonly runAt: number };
}

export function isProbeBatchEvent(event: unknown): event is ProbeBatchEvent {
  const batch = (event as Partial<ProbeBatchEvent> | null)?.vigilProbeBatch;
  return !!batch && Array.isArray(batch.ids) && typeof batch.runAt === 'number';
}

/**
 * Fan-out in AWS: one asynchronous invocation (`InvocationType: 'Event'`) of this same function per batch.
 * Lambda queues and retries async invocations itself; a batch of 500 ids is ~40 KB, far below the 256 KB
 * async payload limit.
 */
export class LambdaDispatcher implements BatchDispatcher {
  constructor(
    private readonly client: LambdaClient,
    private readonly functionName: string,
  ) {}

  async dispatch(batches: readonly (readonly string[])[], runAt: number): Promise<void> {
    await Promise.all(
      batches.map((ids) =>
        this.client.send(
          new InvokeCommand({
            FunctionName: this.functionName,
            InvocationType: 'Event',
            Payload: Buffer.from(JSON.stringify({ vigilProbeBatch: { ids, runAt } } satisfies ProbeBatchEvent)),
          }),
        ),
      ),
    );
  }
}

/** Local mode (no self function name): the batches run in this process, alongside the scheduled run. */
export class InProcessDispatcher implements BatchDispatcher {
  constructor(private readonly run: (ids: readonly string[], runAt: number) => Promise<unknown>) {}

  async dispatch(batches: readonly (readonly string[])[], runAt: number): Promise<void> {
    await Promise.all(batches.map((ids) => this.run(ids, runAt)));
  }
}
