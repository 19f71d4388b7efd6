import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isLive, ttlAfter } from '../core/expiry.js';
import type { LoggedNotification, NotificationLog, NotificationPage } from '../core/notify.js';
import { type CursorCodec, cursorCodec } from './cursor.js';
import { queryPage } from './dynamodb-paging.js';
import { timeKey } from './time-key.js';

const PK = 'NOTIFICATION';

/** Notification log in the alerts table: newest first, kept for `retentionDays`. */
export class DynamoDbNotificationLog implements NotificationLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly retentionDays = 30,
    private readonly cursors: CursorCodec = cursorCodec(),
  ) {}

  async record(entry: LoggedNotification): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: PK,
          sk: `${timeKey(entry.at)}#${entry.id}`,
          expiresAt: ttlAfter(entry.at, this.retentionDays * 86_400),
          ...entry,
        },
      }),
    );
  }

  async list(options: Parameters<NotificationLog['list']>[0]): Promise<NotificationPage> {
    const scope = options.topic ? `${PK}#${options.topic}` : PK;
    const page = await queryPage(
      this.client,
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': PK },
        ScanIndexForward: false,
      },
      {
        limit: options.limit,
        start: this.cursors.decode(scope, options.cursor),
        // Expired or filtered-out items can leave a page short: it reads on until the page is full.
        keep: (item) => isLive(item, options.now) && (!options.topic || item.topic === options.topic),
        keyOf: (item) => ({ pk: PK, sk: item.sk }),
      },
    );
    return {
      items: page.items.map(({ pk: _pk, sk: _sk, expiresAt: _e, ...rest }) => rest as unknown as LoggedNotification),
      ...(page.last ? { nextCursor: this.cursors.encode(scope, page.last) } : {}),
    };
  }
}
