import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ttlAfter } from '../core/expiry.js';
import type { RollupUpdate } from '../core/telemetry/rollup-plan.js';
import type { WriteScope } from '../core/telemetry/write-scope.js';
import { mapLimit, type RetryingCall, type RetryPolicy, retrying } from './dynamodb-batch-write.js';
import { LruCache } from './lru-cache.js';
import { bucketAttribute, keys, ROLLUP } from './telemetry-keys.js';

/**
 * Rollup writes: one `UpdateItem` per series-step that ADDs count, sum and bucket counts (atomic and
 * lossless under any concurrency, no read first). Min and max cannot be added, so the same write SETs them
 * under a condition that encodes what the writer believes is stored ("absent", or "mn ≤ new min"…): when
 * the belief is wrong the whole write is refused (nothing is added twice), the stored values are read, and
 * the write is retried with the right condition. Each instance remembers what it last saw, so in steady
 * state the belief is right and a series-step costs exactly one write.
 *
 * Each write also ADDs its batch id to the item's `ab` set, on the condition that it is not there yet: a
 * retried batch (same id) finds its mark on what it already applied and adds nothing again. The set lives as
 * long as the series-step item, so it holds the batches of one step (12 bytes each).
 */
const MAX_BUCKETS_PER_WRITE = 200; // keeps the expression well under DynamoDB's 4 KB expression limit
const MAX_ATTEMPTS = 8;
const CACHE_LIMIT = 50_000;

interface Stored {
  readonly min: number;
  readonly max: number;
}

interface StoredItem extends Stored {
  readonly applied: ReadonlySet<string>;
}

export interface RollupWriterStats {
  writes: number;
  conditionalRetries: number;
  /** Writes skipped because the item already carried the batch's mark (a retried batch). */
  alreadyApplied: number;
}

/** The attribute holding the ids of the batches applied to a rollup item. */
export const APPLIED = 'ab';

export class DynamoDbRollupWriter {
  private readonly seen = new LruCache<string, Stored>(CACHE_LIMIT);
  readonly stats: RollupWriterStats = { writes: 0, conditionalRetries: 0, alreadyApplied: 0 };

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly retentionSeconds: number,
    private readonly concurrency = 16,
    private readonly retry: RetryPolicy = {},
  ) {}

  async apply(service: string, updates: readonly RollupUpdate[], scope: WriteScope): Promise<void> {
    await mapLimit(updates, this.concurrency, (u) => this.applyOne(service, u, scope));
  }

  private async applyOne(service: string, update: RollupUpdate, scope: WriteScope): Promise<void> {
    const send = retrying(this.retry, scope);
    const key = keys.rollup(service, update.series.id, update.stepStart);
    const cacheKey = `${key.pk}|${key.sk}`;
    const { contribution: c } = update;
    const buckets = [...(c.buckets ?? new Map<string, number>()).entries()];
    const first = buckets.slice(0, MAX_BUCKETS_PER_WRITE);
    let belief = this.seen.get(cacheKey) ?? null;
    for (let attempt = 1; ; attempt++) {
      const names: Record<string, string> = {
        '#c': ROLLUP.count,
        '#s': ROLLUP.sum,
        '#mn': ROLLUP.min,
        '#mx': ROLLUP.max,
        '#x': 'expiresAt',
        '#ab': APPLIED,
      };
      const values: Record<string, unknown> = {
        ':bids': new Set([scope.batchId]),
        ':c': c.count,
        ':s': Number(c.sum.toPrecision(15)),
        ':x': ttlAfter(update.stepStart, this.retentionSeconds),
      };
      const adds = ['#c :c', '#s :s', '#ab :bids'];
      first.forEach(([bucket, count], i) => {
        names[`#b${i}`] = bucketAttribute(bucket);
        values[`:b${i}`] = count;
        adds.push(`#b${i} :b${i}`);
      });
      const sets = ['#x = :x'];
      let condition: string;
      const setMin = belief === null || c.min < belief.min;
      const setMax = belief === null || c.max > belief.max;
      values[':mn'] = c.min;
      values[':mx'] = c.max;
      if (setMin) sets.push('#mn = :mn');
      if (setMax) sets.push('#mx = :mx');
      if (belief === null) condition = 'attribute_not_exists(#c)';
      else {
        values[':bid'] = scope.batchId;
        condition = `attribute_exists(#c) AND NOT contains(#ab, :bid) AND ${setMin ? '#mn > :mn' : '#mn <= :mn'} AND ${setMax ? '#mx < :mx' : '#mx >= :mx'}`;
      }
      try {
        this.stats.writes++;
        await send(() =>
          this.client.send(
            new UpdateCommand({
              TableName: this.table,
              Key: key,
              UpdateExpression: `ADD ${adds.join(', ')} SET ${sets.join(', ')}`,
              ConditionExpression: condition,
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
            }),
          ),
        );
        this.remember(cacheKey, {
          min: Math.min(c.min, belief?.min ?? c.min),
          max: Math.max(c.max, belief?.max ?? c.max),
        });
        break;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException) || attempt >= MAX_ATTEMPTS) throw error;
        const stored = await this.read(key, send);
        if (stored?.applied.has(scope.batchId)) {
          // This batch was applied here before (the retry of a partly failed batch): nothing to add.
          this.stats.alreadyApplied++;
          this.remember(cacheKey, stored);
          return;
        }
        this.stats.conditionalRetries++;
        belief = stored;
      }
    }
    // Rare: a histogram spread over more buckets than one expression can carry. The rest only adds.
    for (let i = MAX_BUCKETS_PER_WRITE; i < buckets.length; i += MAX_BUCKETS_PER_WRITE) {
      const chunk = buckets.slice(i, i + MAX_BUCKETS_PER_WRITE);
      const mark = `${scope.batchId}.${i / MAX_BUCKETS_PER_WRITE}`;
      const names: Record<string, string> = { '#ab': APPLIED };
      const values: Record<string, unknown> = { ':mark': mark, ':marks': new Set([mark]) };
      chunk.forEach(([bucket, count], j) => {
        names[`#b${j}`] = bucketAttribute(bucket);
        values[`:b${j}`] = count;
      });
      this.stats.writes++;
      try {
        await send(() =>
          this.client.send(
            new UpdateCommand({
              TableName: this.table,
              Key: key,
              UpdateExpression: `ADD #ab :marks, ${chunk.map((_, j) => `#b${j} :b${j}`).join(', ')}`,
              ConditionExpression: 'NOT contains(#ab, :mark)',
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
            }),
          ),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        this.stats.alreadyApplied++;
      }
    }
  }

  private async read(key: { pk: string; sk: string }, send: RetryingCall): Promise<StoredItem | null> {
    const out = await send(() =>
      this.client.send(
        new GetCommand({
          TableName: this.table,
          Key: key,
          ConsistentRead: true,
          ProjectionExpression: '#c, #mn, #mx, #ab',
          ExpressionAttributeNames: { '#c': ROLLUP.count, '#mn': ROLLUP.min, '#mx': ROLLUP.max, '#ab': APPLIED },
        }),
      ),
    );
    const item = out.Item;
    if (!item || item[ROLLUP.count] === undefined) return null;
    return {
      min: Number(item[ROLLUP.min]),
      max: Number(item[ROLLUP.max]),
      applied: (item[APPLIED] as Set<string> | undefined) ?? new Set(),
    };
  }

  private remember(cacheKey: string, stored: Stored): void {
    this.seen.set(cacheKey, { min: stored.min, max: stored.max });
  }
}
