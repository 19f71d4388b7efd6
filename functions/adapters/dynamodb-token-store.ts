import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { TokenRecord, TokenStore } from '../core/tokens.js';

/** Tokens table: one item per token, keyed by the token id (a prefix of its hash). */
export class DynamoDbTokenStore implements TokenStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(id: string): Promise<TokenRecord | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.table, Key: { id }, ConsistentRead: true }));
    return out.Item as TokenRecord | undefined;
  }

  async put(record: TokenRecord): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.table, Item: record }));
  }

  async list(): Promise<TokenRecord[]> {
    const items: TokenRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(new ScanCommand({ TableName: this.table, ExclusiveStartKey: start }));
      items.push(...((out.Items ?? []) as TokenRecord[]));
      start = out.LastEvaluatedKey;
    } while (start);
    return items.sort((a, b) => a.createdAt - b.createdAt);
  }

  async delete(id: string): Promise<boolean> {
    const out = await this.client.send(
      new DeleteCommand({ TableName: this.table, Key: { id }, ReturnValues: 'ALL_OLD' }),
    );
    return out.Attributes !== undefined;
  }
}
