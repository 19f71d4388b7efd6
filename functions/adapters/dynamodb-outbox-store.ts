import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { OutboxRecord } from '../core/alerting/model.js';
import type { OutboxListOptions, OutboxPage, OutboxStore } from '../core/alerting/ports.js';
import { isLive, ttlAfter } from '../core/expiry.js';
import { type CursorCodec, cursorCodec } from './cursor.js';
import { queryAll, queryPage } from './dynamodb-paging.js';
import { timeKey } from './time-key.js';

/**
 * The outbox, which is also the notification log (GET /v1/notifications), in the alerts table:
 * - `OUTBOX`/{notificationId}: one item per notification with its decisions, created on the condition
 *   that the id is new (so a transition's notification exists once however many runs create it);
 * - gsi1 `NOTIFICATION`/{createdAt}#{id}: the log, newest first;
 * - gsi2 `DUE`/{nextAttemptAt}#{id}: sparse, present only while the record is `pending` or `held` with a
 *   due time, so the due query reads exactly the records to deliver or release.
 * Records expire `retentionDays` after creation.
 */
const OUTBOX = 'OUTBOX';
const LOG = 'NOTIFICATION';
const DUE = 'DUE';
const KEYS = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'expiresAt'];

function strip(item: Record<string, unknown>): OutboxRecord {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!KEYS.includes(k)) out[k] = v;
  return out as unknown as OutboxRecord;
}

/** Outbox cursors are accepted back only for the notification log. */
const OUTBOX_CURSOR_SCOPE = 'notifications';

const isDue = (r: OutboxRecord) => (r.status === 'pending' || r.status === 'held') && r.nextAttemptAt !== undefined;

export class DynamoDbOutboxStore implements OutboxStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly retentionDays = 30,
    private readonly cursors: CursorCodec = cursorCodec(),
  ) {}

  private item(r: OutboxRecord): Record<string, unknown> {
    return {
      ...r,
      pk: OUTBOX,
      sk: r.id,
      gsi1pk: LOG,
      gsi1sk: `${timeKey(r.createdAt)}#${r.id}`,
      ...(isDue(r) ? { gsi2pk: DUE, gsi2sk: `${timeKey(r.nextAttemptAt!)}#${r.id}` } : {}),
      expiresAt: ttlAfter(r.createdAt, this.retentionDays * 86_400),
    };
  }

  async create(record: OutboxRecord): Promise<'created' | 'exists'> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: this.item(record),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'created';
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return 'exists';
      throw error;
    }
  }

  async due(now: number, limit: number): Promise<OutboxRecord[]> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :due AND gsi2sk < :next',
        ExpressionAttributeValues: { ':due': DUE, ':next': timeKey(now + 1) },
        Limit: limit,
      }),
    );
    const ids = (out.Items ?? []).map((i) => String(i.sk));
    if (ids.length === 0) return [];
    // The index lags the table: read the records themselves, consistently, and keep those still due.
    const fresh = await this.client.send(
      new BatchGetCommand({
        RequestItems: { [this.table]: { Keys: ids.map((sk) => ({ pk: OUTBOX, sk })), ConsistentRead: true } },
      }),
    );
    const byId = new Map((fresh.Responses?.[this.table] ?? []).map((i) => [String(i.sk), strip(i)]));
    const missed = (fresh.UnprocessedKeys?.[this.table]?.Keys ?? []).map((k) => String(k.sk));
    for (const id of missed) {
      const r = await this.get(id);
      if (r) byId.set(id, r);
    }
    return ids.flatMap((id) => {
      const r = byId.get(id);
      return r && isDue(r) && r.nextAttemptAt! <= now ? [r] : [];
    });
  }

  async update(record: OutboxRecord, expected: Pick<OutboxRecord, 'status' | 'attempts'>): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: this.item(record),
          ConditionExpression: '#status = :status AND attempts = :attempts',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': expected.status, ':attempts': expected.attempts },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async claim(record: OutboxRecord, now: number, until: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: OUTBOX, sk: record.id },
          UpdateExpression: 'SET claimedUntil = :until',
          ConditionExpression:
            '#status = :pending AND attempts = :attempts AND (attribute_not_exists(claimedUntil) OR claimedUntil <= :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':pending': 'pending',
            ':attempts': record.attempts,
            ':now': now,
            ':until': until,
          },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async get(id: string): Promise<OutboxRecord | undefined> {
    const out = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { pk: OUTBOX, sk: id }, ConsistentRead: true }),
    );
    return out.Item ? strip(out.Item) : undefined;
  }

  async list(options: OutboxListOptions): Promise<OutboxPage> {
    // A cursor is bound to its topic filter: one made for another filter is refused.
    const scope = options.topic ? `${OUTBOX_CURSOR_SCOPE}#${options.topic}` : OUTBOX_CURSOR_SCOPE;
    const page = await queryPage(
      this.client,
      {
        TableName: this.table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :log',
        ExpressionAttributeValues: { ':log': LOG },
        ScanIndexForward: false,
      },
      {
        limit: options.limit,
        start: this.cursors.decode(scope, options.cursor),
        // Expired or filtered-out items can leave a page short: it reads on until the page is full.
        keep: (item) => isLive(item, options.now) && (!options.topic || item.topic === options.topic),
        keyOf: (item) => ({ pk: item.pk, sk: item.sk, gsi1pk: item.gsi1pk, gsi1sk: item.gsi1sk }),
      },
    );
    return {
      items: page.items.map(strip),
      ...(page.last ? { nextCursor: this.cursors.encode(scope, page.last) } : {}),
    };
  }

  async forAlert(alertId: string, now: number): Promise<OutboxRecord[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': OUTBOX, ':prefix': `${alertId}#` },
      ConsistentRead: true,
    });
    return items
      .filter((i) => isLive(i, now))
      .map(strip)
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }
}
