import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isLive, ttlAfter } from '../core/expiry.js';
import type {
  HourRollup,
  ProbeHistory,
  ProbeResult,
  TargetRollup,
  TimeRange,
  TransitionEvent,
} from '../core/probing/model.js';
import { HOUR_MS } from '../core/probing/uptime.js';
import { type CursorCodec, cursorCodec } from './cursor.js';
import { batchPut } from './dynamodb-batch-write.js';
import { queryAll, queryPage } from './dynamodb-paging.js';
import { withoutKeys } from './dynamodb-probe-items.js';
import { timeKey } from './time-key.js';

/**
 * Probe history in the probes table, every item with a TTL of `retentionDays`:
 *   H#{id} / {ts}          one item per probe
 *   R#{id} / {hourStart}   a finished hour's rollup: up/degraded/down counts and latency buckets `b{i}`
 *                          (the open hour travels in the target's state item; see `rollup.ts`)
 *   TE#{id} / {ts}         the target's transitions
 *   EVENT#{day} / {ts}#{id} every transition, by UTC day: what the alert evaluator and dashboard read
 */
const DAY_MS = 86_400_000;
const MAX_EVENT_DAYS = 31;

export class DynamoDbProbeHistory implements ProbeHistory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly retentionDays = 35,
    private readonly now: () => number = Date.now,
    private readonly cursors: CursorCodec = cursorCodec(),
  ) {}

  private ttl(at: number): number {
    return ttlAfter(at, this.retentionDays * 86_400);
  }

  async recordResults(results: readonly ProbeResult[]): Promise<void> {
    await batchPut(
      this.client,
      this.table,
      results.map((r) => ({ pk: `H#${r.targetId}`, sk: timeKey(r.at), expiresAt: this.ttl(r.at), ...r })),
    );
  }

  async recordRollups(rollups: readonly TargetRollup[]): Promise<void> {
    await batchPut(
      this.client,
      this.table,
      rollups.map(({ targetId, buckets, ...counts }) => ({
        pk: `R#${targetId}`,
        sk: timeKey(counts.hourStart),
        expiresAt: this.ttl(counts.hourStart + HOUR_MS),
        ...counts,
        ...Object.fromEntries(Object.entries(buckets).map(([k, n]) => [`b${k}`, n])),
      })),
    );
  }

  async recordEvents(events: readonly TransitionEvent[]): Promise<void> {
    if (events.length === 0) return;
    await batchPut(
      this.client,
      this.table,
      events.flatMap((e) => [
        { pk: `EVENT#${dayOf(e.at)}`, sk: `${timeKey(e.at)}#${e.targetId}`, expiresAt: this.ttl(e.at), ...e },
        { pk: `TE#${e.targetId}`, sk: timeKey(e.at), expiresAt: this.ttl(e.at), ...e },
      ]),
    );
  }

  async results(
    targetId: string,
    range: TimeRange,
    limit: number,
    cursor?: string,
  ): Promise<{ items: ProbeResult[]; nextCursor?: string }> {
    const now = this.now();
    const pk = `H#${targetId}`;
    const page = await queryPage(
      this.client,
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': pk, ':from': timeKey(range.from), ':to': timeKey(range.to) },
        ScanIndexForward: false,
      },
      {
        limit,
        start: this.cursors.decode(pk, cursor),
        keep: (item) => isLive(item, now),
        keyOf: (item) => ({ pk: item.pk, sk: item.sk }),
      },
    );
    return {
      items: page.items.map((i) => withoutKeys<ProbeResult>(i)),
      ...(page.last ? { nextCursor: this.cursors.encode(pk, page.last) } : {}),
    };
  }

  async rollups(targetId: string, range: TimeRange): Promise<HourRollup[]> {
    const items = await this.between(`R#${targetId}`, range);
    return items.map((i) => {
      const buckets: Record<number, number> = {};
      for (const [k, n] of Object.entries(i)) if (/^b\d+$/.test(k)) buckets[Number(k.slice(1))] = n as number;
      const count = (k: string) => (typeof i[k] === 'number' ? (i[k] as number) : 0);
      return {
        hourStart: i.hourStart as number,
        up: count('up'),
        degraded: count('degraded'),
        down: count('down'),
        buckets,
      };
    });
  }

  async targetEvents(targetId: string, range: TimeRange): Promise<TransitionEvent[]> {
    return (await this.between(`TE#${targetId}`, range)).map((i) => withoutKeys<TransitionEvent>(i));
  }

  async events(range: TimeRange): Promise<TransitionEvent[]> {
    const firstDay = Math.floor(Math.max(range.from, range.to - MAX_EVENT_DAYS * DAY_MS) / DAY_MS) * DAY_MS;
    const now = this.now();
    const days: string[] = [];
    for (let d = firstDay; d <= range.to; d += DAY_MS) days.push(dayOf(d));
    const pages = await Promise.all(
      days.map((day) =>
        queryAll(
          this.client,
          {
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':pk': `EVENT#${day}`,
              ':from': timeKey(range.from),
              ':to': `${timeKey(range.to)}#\uffff`,
            },
          },
          { keep: (i) => isLive(i, now) },
        ),
      ),
    );
    return pages.flat().map((i) => withoutKeys<TransitionEvent>(i));
  }

  private async between(pk: string, range: TimeRange): Promise<Record<string, unknown>[]> {
    const now = this.now();
    return queryAll(
      this.client,
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': pk, ':from': timeKey(range.from), ':to': timeKey(range.to) },
      },
      { keep: (i) => isLive(i, now) },
    );
  }
}

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
