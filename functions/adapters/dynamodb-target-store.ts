import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { TargetState, TargetStore } from '../core/probing/model.js';
import type { TargetRecord } from '../core/probing/target-schema.js';
import { batchPut } from './dynamodb-batch-write.js';
import { queryAll } from './dynamodb-paging.js';
import { withoutKeys } from './dynamodb-probe-items.js';

/**
 * Targets and their current state in the probes table: `TARGET`/{id} and `STATUS`/{id}. Each is one
 * partition read in a single query per run; at a few hundred bytes an item, a 1 MB page holds thousands.
 */
const TARGET = 'TARGET';
const STATUS = 'STATUS';

export class DynamoDbTargetStore implements TargetStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async listTargets(): Promise<TargetRecord[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': TARGET },
    });
    return items.map((i) => withoutKeys<TargetRecord>(i));
  }

  async getTarget(id: string): Promise<TargetRecord | undefined> {
    const out = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { pk: TARGET, sk: id }, ConsistentRead: true }),
    );
    return out.Item ? withoutKeys<TargetRecord>(out.Item) : undefined;
  }

  async putTarget(target: TargetRecord): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.table, Item: { pk: TARGET, sk: target.id, ...target } }));
  }

  /** Removes the target and its current state; history and events expire with their TTL. */
  async deleteTarget(id: string): Promise<void> {
    await Promise.all([
      this.client.send(new DeleteCommand({ TableName: this.table, Key: { pk: TARGET, sk: id } })),
      this.client.send(new DeleteCommand({ TableName: this.table, Key: { pk: STATUS, sk: id } })),
    ]);
  }

  async listStates(): Promise<TargetState[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': STATUS },
    });
    return items.map((i) => withoutKeys<TargetState>(i));
  }

  async getState(id: string): Promise<TargetState | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.table, Key: { pk: STATUS, sk: id } }));
    return out.Item ? withoutKeys<TargetState>(out.Item) : undefined;
  }

  async putStates(states: readonly TargetState[]): Promise<void> {
    await batchPut(
      this.client,
      this.table,
      states.map((s) => ({ pk: STATUS, sk: s.id, ...s })),
    );
  }
}
