import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AlertTransition } from '../core/alerting/model.js';
import type { TransitionLog } from '../core/alerting/transition-log.js';
import { isLive, ttlAfter } from '../core/expiry.js';
import { queryAll } from './dynamodb-paging.js';

/**
 * Alert transitions in the alerts table: `AT#{alertId}`/{seq} (zero-padded, so a query reads them in
 * order), written on the condition that the item is new and kept as long as the notification log.
 */
export class DynamoDbTransitionLog implements TransitionLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly retentionDays = 30,
  ) {}

  async append(transitions: readonly AlertTransition[]): Promise<void> {
    await Promise.all(
      transitions.map(async (t) => {
        try {
          await this.client.send(
            new PutCommand({
              TableName: this.table,
              Item: {
                pk: `AT#${t.alertId}`,
                sk: String(t.seq).padStart(10, '0'),
                expiresAt: ttlAfter(t.at, this.retentionDays * 86_400),
                ...t,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          );
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      }),
    );
  }

  async forAlert(alertId: string, now: number): Promise<AlertTransition[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `AT#${alertId}` },
    });
    return items
      .filter((i) => isLive(i, now))
      .map(({ pk: _pk, sk: _sk, expiresAt: _e, ...t }) => t as unknown as AlertTransition);
  }
}
