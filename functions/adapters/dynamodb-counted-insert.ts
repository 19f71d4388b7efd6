import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RetryingCall } from './dynamodb-batch-write.js';

/**
 * Inserts an item only while a counter is below its limit, without transactions (dynalite has none): first a
 * slot on the counter (`ADD n 1` while `n < limit`, atomic), then the item (`attribute_not_exists`); when another
 * writer inserted the item first, the slot taken is given back. `full`: the counter refused a slot; `exists`: the
 * item was there already.
 */
export async function countedInsert(
  client: DynamoDBDocumentClient,
  send: RetryingCall,
  input: {
    readonly table: string;
    readonly counterKey: Record<string, unknown>;
    readonly limit: number;
    readonly item: Record<string, unknown>;
    /** Counts each write request, for the adapters' cost figures. */
    readonly onWrite?: () => void;
  },
): Promise<'inserted' | 'full' | 'exists'> {
  const { table, counterKey, limit, item, onWrite } = input;
  try {
    onWrite?.();
    await send(() =>
      client.send(
        new UpdateCommand({
          TableName: table,
          Key: counterKey,
          UpdateExpression: 'ADD n :one',
          ConditionExpression: 'attribute_not_exists(n) OR n < :limit',
          ExpressionAttributeValues: { ':one': 1, ':limit': limit },
        }),
      ),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return 'full';
    throw error;
  }
  try {
    onWrite?.();
    await send(() =>
      client.send(new PutCommand({ TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' })),
    );
    return 'inserted';
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    onWrite?.();
    await send(() =>
      client.send(
        new UpdateCommand({
          TableName: table,
          Key: counterKey,
          UpdateExpression: 'ADD n :minus',
          ExpressionAttributeValues: { ':minus': -1 },
        }),
      ),
    );
    return 'exists';
  }
}
