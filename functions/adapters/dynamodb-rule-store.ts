import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { RuleRecord, RuleStore, StoredRuleStatus } from '../core/alerting/rule-records.js';
import { batchPut } from './dynamodb-batch-write.js';
import { queryAll } from './dynamodb-paging.js';
import { withoutKeys } from './dynamodb-probe-items.js';

/**
 * Alert rules in the alerts table: `RULE`/{id} holds the definition, `RULESTATUS`/{id} the last evaluation
 * (written by the evaluator, apart from the rule so that an evaluation never overwrites an edit). Each is one
 * partition, read in one query per evaluation; 10,000 rules of a few hundred bytes fit in a few pages.
 */
const RULE = 'RULE';
const STATUS = 'RULESTATUS';

export class DynamoDbRuleStore implements RuleStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async list(): Promise<RuleRecord[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': RULE },
    });
    return items.map((i) => withoutKeys<RuleRecord>(i));
  }

  async get(id: string): Promise<RuleRecord | undefined> {
    const out = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { pk: RULE, sk: id }, ConsistentRead: true }),
    );
    return out.Item ? withoutKeys<RuleRecord>(out.Item) : undefined;
  }

  async put(rule: RuleRecord): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.table, Item: { pk: RULE, sk: rule.id, ...rule } }));
  }

  async delete(id: string): Promise<void> {
    await Promise.all([
      this.client.send(new DeleteCommand({ TableName: this.table, Key: { pk: RULE, sk: id } })),
      this.client.send(new DeleteCommand({ TableName: this.table, Key: { pk: STATUS, sk: id } })),
    ]);
  }

  async putStatuses(statuses: readonly StoredRuleStatus[]): Promise<void> {
    await batchPut(
      this.client,
      this.table,
      statuses.map((s) => ({ pk: STATUS, sk: s.ruleId, ...s })),
    );
  }

  async statuses(): Promise<StoredRuleStatus[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': STATUS },
    });
    return items.map((i) => withoutKeys<StoredRuleStatus>(i));
  }

  async status(id: string): Promise<StoredRuleStatus | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.table, Key: { pk: STATUS, sk: id } }));
    return out.Item ? withoutKeys<StoredRuleStatus>(out.Item) : undefined;
  }
}
