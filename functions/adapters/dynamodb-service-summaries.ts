import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, paginateQuery, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import { isLive, ttlAfter } from '../core/expiry.js';
import { addSummary, emptySummary, type SummaryDelta, type SummaryTotals } from '../core/telemetry/service-summary.js';
import type { WriteScope } from '../core/telemetry/write-scope.js';
import { type RetryPolicy, retrying } from './dynamodb-batch-write.js';
import { HOUR_MS, hourOf, pad, SUMMARY_SHARDS, summaryKeys } from './telemetry-keys.js';

/**
 * Service summaries (`service-summary.ts`) in the telemetry table: one item per service and step, in a
 * partition per hour and shard (a stable hash of the service, so no single partition takes every write).
 * Each batch ADDs its deltas, once (its id joins the item's `ab` set under a `NOT contains` condition, as
 * for rollups). Reading a window is at most (hours × shards) queries, whatever the number of services.
 */
const FIELDS = { requestPoints: 'rn', requests: 'rq', serverErrors: 're', spans: 'sc', spanErrors: 'se' } as const;
const SKETCHES = { durations: 'h', spanDurations: 's' } as const;
const MAX_ADDS_PER_WRITE = 180;
const bucketAttr = (prefix: string, key: string) => `${prefix}${key.replace('-', 'm')}`;
const BUCKET_ATTR = /^([hs])(z|[pn]m?\d+)$/;

export class DynamoDbServiceSummaries {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly retentionSeconds: number,
    private readonly retry: RetryPolicy = {},
  ) {}

  async apply(service: string, deltas: readonly SummaryDelta[], scope: WriteScope): Promise<void> {
    const send = retrying(this.retry, scope);
    for (const delta of deltas) {
      const adds: [string, number][] = [];
      for (const [field, attr] of Object.entries(FIELDS)) {
        const value = delta[field as keyof typeof FIELDS];
        if (value) adds.push([attr, Number(value.toPrecision(15))]);
      }
      for (const [field, prefix] of Object.entries(SKETCHES)) {
        for (const [key, count] of delta[field as keyof typeof SKETCHES]) adds.push([bucketAttr(prefix, key), count]);
      }
      if (!adds.length) continue;
      const key = {
        pk: summaryKeys.pk(hourOf(delta.stepStart), summaryKeys.shard(service)),
        sk: summaryKeys.sk(delta.stepStart, service),
      };
      for (let i = 0, part = 0; i < adds.length; i += MAX_ADDS_PER_WRITE, part++) {
        const chunk = adds.slice(i, i + MAX_ADDS_PER_WRITE);
        const mark = part === 0 ? scope.batchId : `${scope.batchId}.${part}`;
        const names: Record<string, string> = { '#ab': 'ab', '#x': 'expiresAt', '#svc': 'service' };
        const values: Record<string, unknown> = {
          ':mark': mark,
          ':marks': new Set([mark]),
          ':x': ttlAfter(delta.stepStart, this.retentionSeconds),
          ':svc': service,
        };
        chunk.forEach(([attr, value], j) => {
          names[`#a${j}`] = attr;
          values[`:a${j}`] = value;
        });
        try {
          await send(() =>
            this.client.send(
              new UpdateCommand({
                TableName: this.table,
                Key: key,
                UpdateExpression: `ADD #ab :marks, ${chunk.map((_, j) => `#a${j} :a${j}`).join(', ')} SET #x = :x, #svc = :svc`,
                ConditionExpression: 'NOT contains(#ab, :mark)',
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: values,
              }),
            ),
          );
        } catch (error) {
          // Already applied by an earlier attempt of this batch.
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      }
    }
  }

  /** Summaries of every service over [from, to], summed per service (steps starting in the range). */
  async read(from: number, to: number, now: number): Promise<Map<string, SummaryTotals>> {
    const partitions: string[] = [];
    for (let hour = hourOf(from); hour <= to; hour += HOUR_MS) {
      for (let shard = 0; shard < SUMMARY_SHARDS; shard++) partitions.push(summaryKeys.pk(hour, shard));
    }
    const totals = new Map<string, SummaryTotals>();
    const limit = pLimit(8);
    const pages = await Promise.all(partitions.map((pk) => limit(() => this.query(pk, from, to))));
    for (const item of pages.flat()) {
      if (!isLive(item, now)) continue;
      const service = String(item.service);
      const delta = emptySummary();
      for (const [field, attr] of Object.entries(FIELDS)) delta[field as keyof typeof FIELDS] = Number(item[attr] ?? 0);
      for (const [attr, value] of Object.entries(item)) {
        const m = BUCKET_ATTR.exec(attr);
        if (!m) continue;
        const sketch = m[1] === 'h' ? delta.durations : delta.spanDurations;
        sketch.set(m[2]!.replace('m', '-'), Number(value));
      }
      const total = totals.get(service) ?? emptySummary();
      totals.set(service, total);
      addSummary(total, delta);
    }
    return totals;
  }

  private async query(pk: string, from: number, to: number): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    for await (const page of paginateQuery(
      { client: this.client, pageSize: 1_000 },
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': pk, ':from': pad(from), ':to': `${pad(to)}#~` },
      },
    )) {
      out.push(...((page.Items ?? []) as Record<string, unknown>[]));
    }
    return out;
  }
}
