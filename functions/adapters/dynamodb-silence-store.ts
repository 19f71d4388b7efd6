import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Silence } from '../core/alerting/model.js';
import type { SilenceStore } from '../core/alerting/ports.js';
import { ttlAfter } from '../core/expiry.js';
import { queryAll } from './dynamodb-paging.js';

/**
 * Silences in the alerts table, `SILENCE`/{id}. An ended silence is kept `retentionDays` after its end
 * (TTL), so `GET /v1/silences` can still show it; `list(now)` returns only those not ended.
 */
const SILENCE = 'SILENCE';

const strip = (item: Record<string, unknown>): Silence => {
  const { pk: _pk, sk: _sk, expiresAt: _e, ...rest } = item;
  return rest as unknown as Silence;
};

export class DynamoDbSilenceStore implements SilenceStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly retentionDays = 30,
  ) {}

  /** Every stored silence, ended ones included (until their TTL). */
  async all(): Promise<Silence[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': SILENCE },
    });
    return items.map(strip).sort((a, b) => a.startsAt - b.startsAt || a.id.localeCompare(b.id));
  }

  async list(now: number): Promise<Silence[]> {
    return (await this.all()).filter((s) => s.endsAt > now);
  }

  async get(id: string): Promise<Silence | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.table, Key: { pk: SILENCE, sk: id } }));
    return out.Item ? strip(out.Item) : undefined;
  }

  async put(silence: Silence): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...silence,
          pk: SILENCE,
          sk: silence.id,
          expiresAt: ttlAfter(silence.endsAt, this.retentionDays * 86_400),
        },
      }),
    );
  }

  async expire(id: string, now: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: SILENCE, sk: id },
          // An ended silence stays ended at its own end; one not ended yet ends now.
          UpdateExpression: 'SET endsAt = :now, expiresAt = :ttl',
          ConditionExpression: 'attribute_exists(pk) AND endsAt > :now',
          ExpressionAttributeValues: { ':now': now, ':ttl': ttlAfter(now, this.retentionDays * 86_400) },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      return (await this.get(id)) !== undefined;
    }
  }
}
