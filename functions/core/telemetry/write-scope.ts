import { createHash, randomBytes } from 'node:crypto';

/**
 * What every write of one ingested batch carries: the batch's id, which each write records on the item it
 * changes (conditionally), so a retried batch redoes exactly the writes that are missing and never one
 * twice; and the time left, past which no write is started.
 */
export interface WriteScope {
  /** 11 base64url characters (66 bits): unique per batch, the same on every retry of it. */
  readonly batchId: string;
  /** Milliseconds left before the request's deadline; no write is started at 0. */
  remainingMs(): number;
}

const short = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 11);

/**
 * The id of a request's batch. A retry must map to the same id, a different batch never: with an
 * `Idempotency-Key` the (token, route, key) triple names it; an OTLP request without one is named by its
 * bytes (an exporter's retry resends the same body, and two exports never have the same bytes, since their
 * items carry the nanosecond times of their own export window); a native batch without a key may legitimately
 * repeat byte for byte (a counter of 1 sent twice), so it gets a fresh id and is retried at the client's risk.
 */
export function requestBatchId(
  identity: { readonly idempotencyKey: string } | { readonly bodyHash: string } | 'fresh',
): string {
  if (identity === 'fresh') return randomBytes(8).toString('base64url').slice(0, 11);
  return 'idempotencyKey' in identity ? short(`key:${identity.idempotencyKey}`) : short(`body:${identity.bodyHash}`);
}

/** The id of the `part`-th resource of a request (OTLP requests carry several batches). */
export const partBatchId = (requestId: string, part: number) =>
  part === 0 ? requestId : short(`${requestId}/${part}`);

/** A scope with a fixed id and no deadline (tests, tools). */
export const unboundedScope = (batchId: string): WriteScope => ({
  batchId,
  remainingMs: () => Number.POSITIVE_INFINITY,
});
