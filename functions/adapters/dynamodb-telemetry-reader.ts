import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { isLive } from '../core/expiry.js';
import type { LogRecord } from '../core/telemetry/model.js';
import type {
  ErrorGroup,
  LogQuery,
  RollupRow,
  ServiceSeen,
  StoredSpan,
  TelemetryReader,
} from '../core/telemetry/read-ports.js';
import type { SeriesInfo } from '../core/telemetry/rollup-plan.js';
import { type CursorCodec, cursorCodec } from './cursor.js';
import { queryLogs } from './dynamodb-log-query.js';
import { queryAll } from './dynamodb-paging.js';
import { bucketKeyOfAttribute, isBucketAttribute, keys, pad, ROLLUP } from './telemetry-keys.js';

/** Reads the telemetry table's layouts (`telemetry-keys.ts`); every result is filtered for TTL expiry. */
export class DynamoDbTelemetryReader implements TelemetryReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly now: () => number,
    private readonly cursors: CursorCodec = cursorCodec(),
  ) {}

  /** All pages of a query (bounded by `max` items), live items only. */
  async all(input: Omit<QueryCommandInput, 'TableName'>, max = 50_000): Promise<Record<string, unknown>[]> {
    const now = this.now();
    return queryAll(
      this.client,
      { ...input, TableName: this.table },
      { keep: (item) => isLive(item, now), max, pageSize: 1_000 },
    );
  }

  async listSeries(service: string, name?: string): Promise<SeriesInfo[]> {
    const items = await this.all({
      KeyConditionExpression: name ? 'pk = :pk AND begins_with(sk, :name)' : 'pk = :pk AND sk > :after',
      ExpressionAttributeValues: {
        ':pk': keys.registryPk(service),
        ...(name ? { ':name': `${name}#` } : { ':after': '#count' }),
      },
    });
    return items.map((i) => ({
      id: String(i.seriesId),
      name: String(i.name),
      type: i.type as SeriesInfo['type'],
      ...(i.unit ? { unit: String(i.unit) } : {}),
      tags: (i.tags ?? {}) as Record<string, string>,
    }));
  }

  async readRollups(service: string, seriesId: string, from: number, to: number): Promise<RollupRow[]> {
    const items = await this.all({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': keys.rollupPk(service, seriesId), ':from': pad(from), ':to': pad(to) },
    });
    return items.map((item) => {
      const buckets = new Map<string, number>();
      for (const [attr, value] of Object.entries(item)) {
        if (isBucketAttribute(attr)) buckets.set(bucketKeyOfAttribute(attr), Number(value));
      }
      return {
        stepStart: Number(item.sk),
        count: Number(item[ROLLUP.count] ?? 0),
        sum: Number(item[ROLLUP.sum] ?? 0),
        min: Number(item[ROLLUP.min]),
        max: Number(item[ROLLUP.max]),
        buckets,
      };
    });
  }

  async listServices(): Promise<ServiceSeen[]> {
    const items = await this.all({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.services() },
    });
    return items.map((i) => ({
      service: String(i.sk),
      lastSeen: Number(i.lastSeen),
      environments: [...((i.environments as Set<string> | undefined) ?? [])].sort(),
    }));
  }

  queryLogs(query: LogQuery): Promise<{ items: LogRecord[]; nextCursor?: string }> {
    return queryLogs(this.client, this.table, query, this.now(), this.cursors);
  }

  async trace(traceId: string): Promise<StoredSpan[]> {
    const items = await this.all({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.tracePk(traceId) },
    });
    return items.map(strip) as unknown as StoredSpan[];
  }

  async entrySpans(
    service: string,
    from: number,
    to: number,
    limit: number,
    minDurationMs?: number,
  ): Promise<StoredSpan[]> {
    const now = this.now();
    const items = await queryAll(
      this.client,
      {
        TableName: this.table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': keys.traceSummaryPk(service), ':from': pad(from), ':to': `${pad(to)}~` },
        ScanIndexForward: false,
      },
      {
        keep: (item) => isLive(item, now) && (minDurationMs === undefined || Number(item.durationMs) >= minDurationMs),
        max: limit,
        pageSize: Math.min(1_000, limit * 2),
      },
    );
    return items.map((item) => strip(item) as unknown as StoredSpan);
  }

  async errorGroups(service: string): Promise<ErrorGroup[]> {
    const items = await this.all({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.errorGroupPk(service) },
    });
    return items.map(({ ra: _recent, rb: _older, ...i }) => ({
      // `ra`/`rb` are the writer's record of the batches applied to the group, not part of the group.
      ...(strip(i) as unknown as ErrorGroup),
      versions: [...((i.versions as Set<string> | undefined) ?? [])].sort(),
      environments: [...((i.environments as Set<string> | undefined) ?? [])].sort(),
    }));
  }
}

export function strip(item: Record<string, unknown>): Record<string, unknown> {
  const { pk: _p, sk: _s, gsi1pk: _g, gsi1sk: _h, expiresAt: _x, ...rest } = item;
  return rest;
}
