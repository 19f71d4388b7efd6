import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { isLive, ttlAfter } from '../core/expiry.js';
import type { LoggedNotification, NotificationLog, NotificationPage } from '../core/notify.js';
import { decodeCursor, encodeCursor } from './cursor.js';

const PK = 'NOTIFICATION';

/** Notification log in the alerts table: newest first, kept for `retentionDays`. */
export class DynamoDbNotificationLog implements NotificationLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly retentionDays = 30,
  ) {}

  async record(entry: LoggedNotification): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: PK,
          sk: `${String(entry.at).padStart(15, '0')}#${entry.id}`,
          expiresAt: ttlAfter(entry.at, this.retentionDays * 86_400),
          ...entry,
        },
      }),
    );
  }

  async list(options: Parameters<NotificationLog['list']>[0]): Promise<NotificationPage> {
    const items: LoggedNotification[] = [];
    let start = decodeCursor(options.cursor);
    // Expired or filtered-out items can leave a page short: keep reading until it is full or the log ends.
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': PK },
          ScanIndexForward: false,
          Limit: options.limit,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) {
        if (!isLive(item, options.now)) continue;
        if (options.topic && item.topic !== options.topic) continue;
        const { pk: _pk, sk: _sk, expiresAt: _e, ...rest } = item;
        items.push(rest as LoggedNotification);
        if (items.length === options.limit) {
          return { items, nextCursor: encodeCursor({ pk: PK, sk: item.sk }) };
        }
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return { items };
  }
}
