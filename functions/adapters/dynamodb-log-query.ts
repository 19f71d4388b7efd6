import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { isLive } from '../core/expiry.js';
import { LOG_LEVELS, type LogRecord } from '../core/telemetry/model.js';
import type { LogQuery } from '../core/telemetry/read-ports.js';
import { type CursorCodec, invalidCursor } from './cursor.js';
import { HOUR_MS, hourOf, keys, pad } from './telemetry-keys.js';

/**
 * Logs, newest first. By service they live in hourly partitions (`L#{svc}#{hour}`), walked from `to` back
 * to `from`; by trace id through gsi1. Filters (level, text) run on the items read, so a page may need
 * several reads; each request reads at most `READ_BUDGET` pages and otherwise returns a cursor to go on.
 */
const READ_BUDGET = 50;

interface Position {
  /** Hour partition being read (by service), absent for the trace index. */
  readonly h?: number;
  readonly k?: Record<string, unknown>;
}

export async function queryLogs(
  client: DynamoDBDocumentClient,
  table: string,
  query: LogQuery,
  now: number,
  cursors: CursorCodec,
): Promise<{ items: LogRecord[]; nextCursor?: string }> {
  const minLevel = query.level ? LOG_LEVELS.indexOf(query.level) : 0;
  const needle = query.q?.toLowerCase();
  const keep = (item: Record<string, unknown>) =>
    isLive(item, now) &&
    LOG_LEVELS.indexOf(item.level as LogRecord['level']) >= minLevel &&
    (!query.service || item.service === query.service) &&
    (!needle || String(item.message).toLowerCase().includes(needle)) &&
    Number(item.timestamp) >= query.from &&
    Number(item.timestamp) <= query.to;
  const items: LogRecord[] = [];
  const scope = query.traceId ? keys.logsByTrace(query.traceId) : `L#${query.service}`;
  let position =
    (cursors.decode(scope, query.cursor) as Position | undefined) ?? (query.traceId ? {} : { h: hourOf(query.to) });
  if (!query.traceId && typeof position.h !== 'number') throw invalidCursor();

  for (let reads = 0; reads < READ_BUDGET; reads++) {
    const byTrace = query.traceId !== undefined;
    if (!byTrace && position.h! < hourOf(query.from)) return { items };
    const out = await client.send(
      new QueryCommand({
        TableName: table,
        ...(byTrace
          ? {
              IndexName: 'gsi1',
              KeyConditionExpression: 'gsi1pk = :pk',
              ExpressionAttributeValues: { ':pk': keys.logsByTrace(query.traceId!) },
            }
          : {
              KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
              ExpressionAttributeValues: {
                ':pk': keys.logPk(query.service!, position.h!),
                ':from': pad(query.from),
                ':to': `${pad(query.to)}~`,
              },
            }),
        ScanIndexForward: false,
        Limit: Math.max(query.limit * 2, 50),
        ...(position.k ? { ExclusiveStartKey: position.k } : {}),
      }),
    );
    for (const item of out.Items ?? []) {
      if (!keep(item)) continue;
      const { pk: _p, sk: _s, gsi1pk: _g, gsi1sk: _h, expiresAt: _x, ...log } = item;
      items.push(log as unknown as LogRecord);
      if (items.length === query.limit) {
        const k = byTrace
          ? { pk: item.pk, sk: item.sk, gsi1pk: item.gsi1pk, gsi1sk: item.gsi1sk }
          : { pk: item.pk, sk: item.sk };
        return { items, nextCursor: cursors.encode(scope, { ...position, k }) };
      }
    }
    if (out.LastEvaluatedKey) position = { ...position, k: out.LastEvaluatedKey };
    else if (byTrace) return { items };
    else position = { h: position.h! - HOUR_MS };
  }
  return { items, nextCursor: cursors.encode(scope, position as Record<string, unknown>) };
}
