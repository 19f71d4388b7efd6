import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ServiceUnavailableError } from '../core/errors.js';

/**
 * The one place where telemetry writes are retried. A call that DynamoDB throttles, answers with a 5xx, or
 * does not answer in time is tried again after a jittered exponential backoff (25 ms, 50 ms, … capped at
 * 1 s), up to `attempts` times and never past the request's deadline; then it fails with a 503 the client
 * may retry. Every retried write is idempotent per batch (see `write-scope.ts`), so a write that was applied
 * but whose answer was lost is not applied twice. The ingest function's DynamoDB client makes one attempt
 * per call (`maxAttempts: 1`), so retries are not multiplied by the SDK's own.
 */
export interface RetryPolicy {
  /** Calls in all, the first included. @default 6 */
  readonly attempts?: number;
  /** @default 25 */
  readonly baseDelayMs?: number;
  /** @default 1000 */
  readonly maxDelayMs?: number;
  /** Time left before the deadline; no call is started at 0 or less. @default unbounded */
  readonly remainingMs?: () => number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Math.random */
  readonly random?: () => number;
}

const THROTTLED = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
]);
const TRANSIENT = new Set(['InternalServerError', 'ServiceUnavailable', 'TimeoutError', 'RequestTimeout']);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

export type StorageFault = 'throttled' | 'unavailable' | 'timeout';

/** Whether an error from DynamoDB is worth another try, and of what kind; undefined when it is not. */
export function storageFaultOf(error: unknown): StorageFault | undefined {
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  if (!e || typeof e !== 'object') return undefined;
  if (THROTTLED.has(e.name ?? '')) return 'throttled';
  if (e.name === 'TimeoutError' || e.name === 'RequestTimeout' || e.code === 'ETIMEDOUT') return 'timeout';
  if (TRANSIENT.has(e.name ?? '') || NETWORK.has(e.code ?? '')) return 'unavailable';
  if ((e.$metadata?.httpStatusCode ?? 0) >= 500) return 'unavailable';
  return undefined;
}

const DEFAULT_SLEEP = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `call`, retrying storage faults per `policy`; other errors are thrown at once. */
export async function withStorageRetries<T>(call: () => Promise<T>, policy: RetryPolicy = {}): Promise<T> {
  const attempts = policy.attempts ?? 6;
  const remaining = policy.remainingMs ?? (() => Number.POSITIVE_INFINITY);
  const sleep = policy.sleep ?? DEFAULT_SLEEP;
  const random = policy.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    if (remaining() <= 0) {
      throw new ServiceUnavailableError(
        "the request's deadline passed before all of it was stored; send it again (with the same Idempotency-Key, or the same body for OTLP) and what is stored is not stored twice",
        1,
        { reason: { code: 'deadline-exceeded', message: 'the request took longer than its deadline' } },
      );
    }
    try {
      return await call();
    } catch (error) {
      const fault = storageFaultOf(error);
      if (!fault) throw error;
      const ceiling = Math.min(policy.maxDelayMs ?? 1_000, (policy.baseDelayMs ?? 25) * 2 ** (attempt - 1));
      const delay = Math.round(ceiling * (0.5 + random() / 2));
      if (attempt >= attempts || delay >= remaining()) {
        throw new ServiceUnavailableError(
          `storage is ${fault === 'throttled' ? 'throttling writes' : fault === 'timeout' ? 'not answering in time' : 'unavailable'} (${attempt} attempts); send the request again later (with the same Idempotency-Key, or the same body for OTLP) and what is stored is not stored twice`,
          fault === 'throttled' ? 2 : 5,
          { reason: { code: `storage-${fault}`, message: `DynamoDB ${fault} after ${attempt} attempts` } },
        );
      }
      await sleep(delay);
    }
  }
}

/**
 * Puts many items with BatchWriteItem (25 per request, a few requests at a time), retrying what DynamoDB
 * hands back as unprocessed, and storage faults, with backoff. Throws if items are still unprocessed after
 * the retries, so a caller never reports as stored what was not. Items must have keys that a retry
 * reproduces (a retried put overwrites itself).
 */
export async function batchPut(
  client: DynamoDBDocumentClient,
  table: string,
  items: readonly Record<string, unknown>[],
  options: { concurrency?: number; attempts?: number; retry?: RetryPolicy } = {},
): Promise<number> {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25) as Record<string, unknown>[]);
  const attempts = options.attempts ?? 6;
  const sleep = options.retry?.sleep ?? DEFAULT_SLEEP;
  let requests = 0;
  const writeChunk = async (chunk: Record<string, unknown>[]) => {
    let pending = chunk.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length && attempt < attempts; attempt++) {
      if (attempt) await sleep(25 * 2 ** attempt);
      const out = await withStorageRetries(() => {
        requests++;
        return client.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      }, options.retry);
      pending = (out.UnprocessedItems?.[table] ?? []) as typeof pending;
    }
    if (pending.length) {
      throw new ServiceUnavailableError(
        `storage is throttling writes: ${pending.length} items left unprocessed after ${attempts} attempts; send the request again later`,
        2,
        { reason: { code: 'storage-throttled', message: `DynamoDB left ${pending.length} items unprocessed` } },
      );
    }
  };
  const queue = [...chunks];
  const workers = Array.from({ length: Math.min(options.concurrency ?? 4, queue.length) }, async () => {
    for (let chunk = queue.shift(); chunk; chunk = queue.shift()) await writeChunk(chunk);
  });
  // Every worker finishes (or fails) before the answer: no chunk is left writing after the caller moved on.
  const outcomes = await Promise.allSettled(workers);
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) throw failed.reason;
  return requests;
}

/** The one concurrency limiter lives in the core; adapters import it from here as well. */
export { mapLimit } from '../core/map-limit.js';

/** `withStorageRetries` bound to a policy and a request's deadline, for an adapter's calls. */
export type RetryingCall = <T>(call: () => Promise<T>) => Promise<T>;

export const retrying =
  (policy: RetryPolicy, scope?: { remainingMs(): number }): RetryingCall =>
  (call) =>
    withStorageRetries(call, scope ? { ...policy, remainingMs: () => scope.remainingMs() } : policy);
