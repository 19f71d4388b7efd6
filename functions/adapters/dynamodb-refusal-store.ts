import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RefusalStore, RefusalSummary, RefusalTally } from '../core/telemetry/refusals.js';
import { refusalReason } from '../core/telemetry/refusals.js';
import { mapLimit } from './dynamodb-batch-write.js';
import { HOUR_MS, hourOf, pad } from './telemetry-keys.js';

/**
 * Refusal counts in the telemetry table: one item per service, hour and code (`RF#{service}`,
 * `{hour}#{code}`), `ADD n` (atomic under concurrency, no read) and the last example. A request costs one
 * write per service and code it refused something of; a request without refusals costs nothing.
 */
export class DynamoDbRefusalStore implements RefusalStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    /** How long counts are kept (only writers need it). */
    private readonly retentionDays = 30,
  ) {}

  async add(tallies: readonly RefusalTally[], now: number): Promise<void> {
    await mapLimit(tallies, 8, (t) =>
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `RF#${t.service}`, sk: `${pad(hourOf(now))}#${t.code}` },
          UpdateExpression: 'ADD n :n SET ex = :ex, ls = :ls, expiresAt = :x',
          ExpressionAttributeValues: {
            ':n': t.count,
            ':ex': t.example,
            ':ls': now,
            ':x': Math.floor(now / 1_000) + this.retentionDays * 86_400,
          },
        }),
      ),
    );
  }

  async list(service: string, from: number, to: number): Promise<RefusalSummary[]> {
    const byCode = new Map<string, RefusalSummary>();
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :a AND :b',
          ExpressionAttributeValues: {
            ':pk': `RF#${service}`,
            ':a': pad(hourOf(from)),
            ':b': `${pad(hourOf(to) + HOUR_MS - 1)}#~`,
          },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of out.Items ?? []) {
        const code = String(item.sk).split('#')[1] ?? 'invalid-item';
        const seen = byCode.get(code);
        const lastSeen = Number(item.ls);
        const newer = !seen || lastSeen >= seen.lastSeen;
        byCode.set(code, {
          code,
          message: refusalReason(code).message,
          count: (seen?.count ?? 0) + Number(item.n ?? 0),
          lastSeen: newer ? lastSeen : seen.lastSeen,
          example: newer ? String(item.ex ?? '') : seen.example,
        });
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return [...byCode.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  }
}
