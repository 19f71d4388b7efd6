import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AlertRecord } from '../core/alerting/model.js';
import type { AlertStore } from '../core/alerting/ports.js';
import { queryAll } from './dynamodb-paging.js';

/**
 * Alert state in the alerts table, `ALERT`/{alertId}: one item per alert, written on the condition that
 * the stored `version` is the one the evaluation read (or that there is none, for a new alert), so of two
 * evaluations racing on an alert exactly one applies its transition.
 */
const ALERT = 'ALERT';

const strip = (item: Record<string, unknown>): AlertRecord => {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as unknown as AlertRecord;
};

export class DynamoDbAlertStore implements AlertStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async list(): Promise<AlertRecord[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': ALERT },
      ConsistentRead: true,
    });
    return items.map(strip);
  }

  async get(id: string): Promise<AlertRecord | undefined> {
    const out = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { pk: ALERT, sk: id }, ConsistentRead: true }),
    );
    return out.Item ? strip(out.Item) : undefined;
  }

  async put(alert: AlertRecord): Promise<'written' | 'conflict'> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...alert, pk: ALERT, sk: alert.id, version: alert.version + 1 },
          ...(alert.version === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': alert.version } }),
        }),
      );
      return 'written';
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return 'conflict';
      throw error;
    }
  }
}
