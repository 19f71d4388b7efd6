import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { isLive, ttlAfter } from '../core/expiry.js';
import type { VerificationPage, VerificationStore } from '../core/verification/ports.js';
import type { VerificationRecord } from '../core/verification/record.js';
import { type CursorCodec, cursorCodec } from './cursor.js';

/**
 * Verifications in the deployments table:
 *   the record                pk `V#{id}`   sk `V`      gsi1pk `VS#{service}`  gsi1sk `{createdAt}#{id}`
 *   the list of all of them   pk `VL`       sk `{createdAt}#{id}`  (written once, at creation)
 * The record is one JSON document (`doc`) beside the attributes queries and conditions need (`rev`,
 * `status`, `environment`); every write after creation is conditional on `rev`. Time keys are epoch ms
 * zero-padded to 13 digits. Records expire `retentionDays` after their last write.
 */
const pad = (ms: number) => String(Math.max(0, Math.floor(ms))).padStart(13, '0');
const recordKey = (id: string) => ({ pk: `V#${id}`, sk: 'V' });
const LIST_PK = 'VL';

export class DynamoDbVerificationStore implements VerificationStore {
  /** Reads and writes, for the benchmark of one verification's cost. */
  readonly stats = { reads: 0, writes: 0, queries: 0 };

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly retentionDays: number,
    private readonly now: () => number,
    private readonly cursors: CursorCodec = cursorCodec(),
  ) {}

  private item(record: VerificationRecord) {
    return {
      ...recordKey(record.id),
      gsi1pk: `VS#${record.request.service}`,
      gsi1sk: `${pad(record.createdAt)}#${record.id}`,
      id: record.id,
      service: record.request.service,
      environment: record.request.environment,
      status: record.status,
      rev: record.rev,
      doc: JSON.stringify(record),
      expiresAt: ttlAfter(record.updatedAt, this.retentionDays * 86_400),
    };
  }

  private parse(item: Record<string, unknown> | undefined): VerificationRecord | undefined {
    if (!item || !isLive(item, this.now()) || typeof item.doc !== 'string') return undefined;
    return { ...(JSON.parse(item.doc) as VerificationRecord), rev: Number(item.rev) };
  }

  async get(id: string): Promise<VerificationRecord | undefined> {
    this.stats.reads++;
    const out = await this.client.send(
      new GetCommand({ TableName: this.table, Key: recordKey(id), ConsistentRead: true }),
    );
    return this.parse(out.Item);
  }

  async create(record: VerificationRecord): Promise<'created' | 'exists'> {
    this.stats.writes++;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: this.item(record),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return 'exists';
      throw error;
    }
    this.stats.writes++;
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: LIST_PK,
          sk: `${pad(record.createdAt)}#${record.id}`,
          id: record.id,
          expiresAt: ttlAfter(record.createdAt, this.retentionDays * 86_400),
        },
      }),
    );
    return 'created';
  }

  async put(record: VerificationRecord): Promise<'written' | 'conflict'> {
    this.stats.writes++;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: this.item({ ...record, rev: record.rev + 1 }),
          ConditionExpression: '#rev = :rev',
          ExpressionAttributeNames: { '#rev': 'rev' },
          ExpressionAttributeValues: { ':rev': record.rev },
        }),
      );
      return 'written';
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return 'conflict';
      throw error;
    }
  }

  async list(query: {
    service?: string;
    environment?: string;
    limit: number;
    cursor?: string;
  }): Promise<VerificationPage> {
    const scope = `verifications#${query.service ?? ''}`;
    const start = this.cursors.decode(scope, query.cursor);
    this.stats.queries++;
    if (query.service) {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ...(query.environment ? { FilterExpression: 'environment = :env' } : {}),
          ExpressionAttributeValues: {
            ':pk': `VS#${query.service}`,
            ...(query.environment ? { ':env': query.environment } : {}),
          },
          ScanIndexForward: false,
          Limit: query.limit,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      const items = (out.Items ?? []).map((i) => this.parse(i)).filter((r): r is VerificationRecord => !!r);
      const nextCursor = out.LastEvaluatedKey ? this.cursors.encode(scope, out.LastEvaluatedKey) : undefined;
      return { items, ...(nextCursor ? { nextCursor } : {}) };
    }
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': LIST_PK },
        ScanIndexForward: false,
        Limit: query.limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    const ids = (out.Items ?? []).filter((i) => isLive(i, this.now())).map((i) => String(i.id));
    const records = await this.batchGet(ids);
    const items = ids
      .map((id) => records.get(id))
      .filter(
        (r): r is VerificationRecord => !!r && (!query.environment || r.request.environment === query.environment),
      );
    const nextCursor = out.LastEvaluatedKey ? this.cursors.encode(scope, out.LastEvaluatedKey) : undefined;
    return { items, ...(nextCursor ? { nextCursor } : {}) };
  }

  private async batchGet(ids: readonly string[]): Promise<Map<string, VerificationRecord>> {
    const found = new Map<string, VerificationRecord>();
    for (let i = 0; i < ids.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = ids.slice(i, i + 100).map(recordKey);
      for (let attempt = 0; keys?.length && attempt < 5; attempt++) {
        this.stats.reads += keys.length;
        const out: BatchGetCommandOutput = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys } } }),
        );
        for (const item of out.Responses?.[this.table] ?? []) {
          const r = this.parse(item);
          if (r) found.set(r.id, r);
        }
        keys = out.UnprocessedKeys?.[this.table]?.Keys;
      }
    }
    return found;
  }

  async running(service: string, since: number): Promise<VerificationRecord[]> {
    this.stats.queries++;
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk >= :since',
        FilterExpression: '#status = :running',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pk': `VS#${service}`, ':since': pad(since), ':running': 'running' },
        ScanIndexForward: false,
      }),
    );
    return (out.Items ?? []).map((i) => this.parse(i)).filter((r): r is VerificationRecord => !!r);
  }

  async createdBetween(service: string, from: number, to: number, limit = 200): Promise<VerificationRecord[]> {
    this.stats.queries++;
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': `VS#${service}`, ':from': pad(from), ':to': `${pad(to)}~` },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((i) => this.parse(i)).filter((r): r is VerificationRecord => !!r);
  }
}
