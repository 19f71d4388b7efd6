import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { StreamState, StreamStore } from '../core/telemetry/otlp-streams.js';
import { keys } from './telemetry-keys.js';

/**
 * Cumulative streams' last points in the telemetry table: one item per stream (`CS#{service}#{streamId}`),
 * replaced with a condition on the point it replaces (`t`, its time), so of two writers that read the same
 * point only one can replace it. Values are stored as JSON text: bucket arrays stay one attribute, and no
 * number goes through the document client's range checks.
 */
export class DynamoDbStreamStore implements StreamStore {
  readonly stats = { reads: 0, writes: 0, conflicts: 0 };

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(service: string, streamId: string): Promise<StreamState | undefined> {
    this.stats.reads++;
    const out = await this.client.send(
      new GetCommand({ TableName: this.table, Key: keys.cumulativeStream(service, streamId), ConsistentRead: true }),
    );
    const item = out.Item;
    if (!item) return undefined;
    return {
      timeNanos: String(item.t),
      batchId: String(item.b),
      value: JSON.parse(String(item.v)),
      delta: item.d === undefined ? null : JSON.parse(String(item.d)),
    };
  }

  async put(
    service: string,
    streamId: string,
    next: StreamState,
    prev: StreamState | undefined,
    expiresAtMs: number,
  ): Promise<boolean> {
    this.stats.writes++;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...keys.cumulativeStream(service, streamId),
            t: next.timeNanos,
            b: next.batchId,
            v: JSON.stringify(next.value),
            ...(next.delta ? { d: JSON.stringify(next.delta) } : {}),
            expiresAt: Math.floor(expiresAtMs / 1_000),
          },
          ConditionExpression: prev ? '#t = :t' : 'attribute_not_exists(pk)',
          ...(prev
            ? { ExpressionAttributeNames: { '#t': 't' }, ExpressionAttributeValues: { ':t': prev.timeNanos } }
            : {}),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        this.stats.conflicts++;
        return false;
      }
      throw error;
    }
  }
}
