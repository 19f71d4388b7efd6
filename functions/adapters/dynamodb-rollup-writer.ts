import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ttlAfter } from '../core/expiry.js';
import type { RollupUpdate } from '../core/telemetry/rollup-plan.js';
import { mapLimit } from './dynamodb-batch-write.js';
import { bucketAttribute, keys, ROLLUP } from './telemetry-keys.js';

/**
 * Rollup writes: one `UpdateItem` per series-step that ADDs count, sum and bucket counts (atomic and
 * lossless under any concurrency, no read first). Min and max cannot be added, so the same write SETs them
 * under a condition that encodes what the writer believes is stored ("absent", or "mn ≤ new min"…): when
 * the belief is wrong the whole write is refused (nothing is added twice), the stored values are read, and
 * the write is retried with the right condition. Each instance remembers what it last saw, so in steady
 * state the belief is right and a series-step costs exactly one write.
 */
const MAX_BUCKETS_PER_WRITE = 200; // keeps the expression well under DynamoDB's 4 KB expression limit
const MAX_ATTEMPTS = 8;
const CACHE_LIMIT = 50_000;

interface Stored {
  readonly min: number;
  readonly max: number;
}

export interface RollupWriterStats {
  writes: number;
  conditionalRetries: number;
}

export class DynamoDbRollupWriter {
  private readonly seen = new Map<string, Stored | null>();
  readonly stats: RollupWriterStats = { writes: 0, conditionalRetries: 0 };

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly retentionSeconds: number,
    private readonly concurrency = 16,
  ) {}

  async apply(service: string, updates: readonly RollupUpdate[]): Promise<void> {
    await mapLimit(updates, this.concurrency, (u) => this.applyOne(service, u));
  }

  private async applyOne(service: string, update: RollupUpdate): Promise<void> {
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
      };
      const values: Record<string, unknown> = {
        ':c': c.count,
        ':s': Number(c.sum.toPrecision(15)),
        ':x': ttlAfter(update.stepStart, this.retentionSeconds),
      };
      const adds = ['#c :c', '#s :s'];
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
        condition = `attribute_exists(#c) AND ${setMin ? '#mn > :mn' : '#mn <= :mn'} AND ${setMax ? '#mx < :mx' : '#mx >= :mx'}`;
      }
      try {
        this.stats.writes++;
        await this.client.send(
          new UpdateCommand({
            TableName: this.table,
            Key: key,
            UpdateExpression: `ADD ${adds.join(', ')} SET ${sets.join(', ')}`,
            ConditionExpression: condition,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
        this.remember(cacheKey, {
          min: Math.min(c.min, belief?.min ?? c.min),
          max: Math.max(c.max, belief?.max ?? c.max),
        });
        break;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException) || attempt >= MAX_ATTEMPTS) throw error;
        this.stats.conditionalRetries++;
        belief = await this.read(key);
      }
    }
    // Rare: a histogram spread over more buckets than one expression can carry. The rest only adds.
    for (let i = MAX_BUCKETS_PER_WRITE; i < buckets.length; i += MAX_BUCKETS_PER_WRITE) {
      const chunk = buckets.slice(i, i + MAX_BUCKETS_PER_WRITE);
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {};
      chunk.forEach(([bucket, count], j) => {
        names[`#b${j}`] = bucketAttribute(bucket);
        values[`:b${j}`] = count;
      });
      this.stats.writes++;
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: `ADD ${chunk.map((_, j) => `#b${j} :b${j}`).join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    }
  }

  private async read(key: { pk: string; sk: string }): Promise<Stored | null> {
    const out = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: key,
        ConsistentRead: true,
        ProjectionExpression: '#c, #mn, #mx',
        ExpressionAttributeNames: { '#c': ROLLUP.count, '#mn': ROLLUP.min, '#mx': ROLLUP.max },
      }),
    );
    const item = out.Item;
    if (!item || item[ROLLUP.count] === undefined) return null;
    return { min: Number(item[ROLLUP.min]), max: Number(item[ROLLUP.max]) };
  }

  private remember(cacheKey: string, stored: Stored): void {
    if (this.seen.size >= CACHE_LIMIT) this.seen.clear();
    this.seen.set(cacheKey, stored);
  }
}
