/**
 * Item helpers of the probes and alerts tables. The batch writer, the paging loop and the sort-key time
 * encoding each exist once (`dynamodb-batch-write.ts`, `dynamodb-paging.ts`, `time-key.ts`); they are
 * re-exported here for the stores that import them from this module.
 */
export { batchPut } from './dynamodb-batch-write.js';
export { queryAll } from './dynamodb-paging.js';
export { timeKey } from './time-key.js';

/** An item as a domain value: without its keys and TTL. */
export function withoutKeys<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, expiresAt: _e, ...rest } = item;
  return rest as T;
}
