import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ttlAfter } from '../core/expiry.js';
import { isEntrySpan } from '../core/telemetry/derived-metrics.js';
import type { ErrorGroupUpdate } from '../core/telemetry/error-groups.js';
import type { ErrorEvent, LogRecord, SpanRecord } from '../core/telemetry/model.js';
import type { ServiceLimits, TelemetryWriter } from '../core/telemetry/ports.js';
import type { RollupUpdate, SeriesInfo } from '../core/telemetry/rollup-plan.js';
import type { SummaryDelta } from '../core/telemetry/service-summary.js';
import type { WriteScope } from '../core/telemetry/write-scope.js';
import { batchPut, mapLimit, type RetryPolicy, retrying } from './dynamodb-batch-write.js';
import { DynamoDbRollupWriter } from './dynamodb-rollup-writer.js';
import { DynamoDbSeriesRegistry } from './dynamodb-series-registry.js';
import { DynamoDbServiceRegistry } from './dynamodb-service-registry.js';
import { DynamoDbServiceSummaries } from './dynamodb-service-summaries.js';
import { hourOf, keys, pad } from './telemetry-keys.js';

/** Retention per kind, in days; stored as each item's TTL. */
export interface Retention {
  readonly metricsDays: number;
  readonly logsDays: number;
  readonly spansDays: number;
  readonly errorsDays: number;
}

const DAY_S = 86_400;
/** The key suffix of the `index`-th item of a batch: the same on every retry of the batch, so a retry overwrites. */
const itemId = (scope: WriteScope, index: number) => `${scope.batchId}.${index.toString(36)}`;
/**
 * Error groups are long-lived, so the batches applied to one are kept as a ring: the newest `RING` ids in
 * `ra` and the `RING` before them in `rb` (a full `ra` moves to `rb`). A retry is recognised while its batch
 * is among the last 64 to 128 that changed the group.
 */
const RING = 64;

export class DynamoDbTelemetryWriter implements TelemetryWriter {
  readonly rollups: DynamoDbRollupWriter;
  readonly registry: DynamoDbSeriesRegistry;
  readonly services: DynamoDbServiceRegistry;
  readonly summaries: DynamoDbServiceSummaries;
  readonly stats = { itemRequests: 0, errorGroupWrites: 0 };

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly retention: Retention,
    /** How storage faults are retried (tests inject the sleep). */
    private readonly retry: RetryPolicy = {},
  ) {
    this.rollups = new DynamoDbRollupWriter(client, table, retention.metricsDays * DAY_S, 16, retry);
    this.registry = new DynamoDbSeriesRegistry(client, table, retry);
    this.services = new DynamoDbServiceRegistry(client, table, retry);
    this.summaries = new DynamoDbServiceSummaries(client, table, retention.metricsDays * DAY_S, retry);
  }

  admitSeries(
    service: string,
    series: readonly SeriesInfo[],
    limit: number,
    now: number,
    scope?: WriteScope,
  ): Promise<Set<string>> {
    return this.registry.admit(service, series, limit, now, scope);
  }

  private put(items: readonly Record<string, unknown>[], scope: WriteScope): Promise<number> {
    return batchPut(this.client, this.table, items, {
      retry: { ...this.retry, remainingMs: () => scope.remainingMs() },
    });
  }

  applyRollups(service: string, updates: readonly RollupUpdate[], scope: WriteScope): Promise<void> {
    return this.rollups.apply(service, updates, scope);
  }

  async putLogs(logs: readonly LogRecord[], scope: WriteScope): Promise<void> {
    const items = logs.map((log, i) => {
      const sk = keys.logSk(log.timestamp, itemId(scope, i));
      return {
        pk: keys.logPk(log.service, hourOf(log.timestamp)),
        sk,
        ...(log.traceId ? { gsi1pk: keys.logsByTrace(log.traceId), gsi1sk: sk } : {}),
        ...log,
        expiresAt: ttlAfter(log.timestamp, this.retention.logsDays * DAY_S),
      };
    });
    this.stats.itemRequests += await this.put(items, scope);
  }

  async putSpans(spans: readonly SpanRecord[], scope: WriteScope): Promise<void> {
    // Spans are keyed by trace and span id, so a retried span overwrites itself instead of duplicating.
    const unique = new Map(spans.map((s) => [`${s.traceId}/${s.spanId}`, s]));
    const items = [...unique.values()].map((span) => ({
      pk: keys.tracePk(span.traceId),
      sk: span.spanId,
      ...(isEntrySpan(span)
        ? { gsi1pk: keys.traceSummaryPk(span.service), gsi1sk: `${pad(span.startTime)}#${span.traceId}#${span.spanId}` }
        : {}),
      ...span,
      durationMs: span.endTime - span.startTime,
      expiresAt: ttlAfter(span.startTime, this.retention.spansDays * DAY_S),
    }));
    this.stats.itemRequests += await this.put(items, scope);
  }

  async recordErrors(
    groups: readonly ErrorGroupUpdate[],
    events: readonly (ErrorEvent & { fingerprint: string })[],
    scope: WriteScope,
  ): Promise<void> {
    const ttlSeconds = this.retention.errorsDays * DAY_S;
    const eventItems = events.map((e, i) => ({
      pk: keys.errorEventPk(e.service, e.fingerprint),
      sk: `${pad(e.timestamp)}#${itemId(scope, i)}`,
      ...e,
      expiresAt: ttlAfter(e.timestamp, ttlSeconds),
    }));
    await Promise.all([
      this.put(eventItems, scope).then((n) => {
        this.stats.itemRequests += n;
      }),
      mapLimit(groups, 8, (g) => this.updateGroup(g, ttlSeconds, scope)),
    ]);
  }

  private async updateGroup(g: ErrorGroupUpdate, ttlSeconds: number, scope: WriteScope): Promise<void> {
    const send = retrying(this.retry, scope);
    const values: Record<string, unknown> = {
      ':bid': scope.batchId,
      ':bidl': [scope.batchId],
      ':n': g.count,
      ':envs': g.environments,
      ':type': g.type,
      ':frames': g.frames,
      ':message': g.sample.message,
      ':first': g.firstSeen,
      ':last': g.lastSeen,
      ':sample': g.sample,
      ':x': ttlAfter(g.lastSeen, ttlSeconds),
      ':service': g.service,
      ':fp': g.fingerprint,
    };
    const adds = ['#count :n', '#environments :envs'];
    if (g.versions.size) {
      adds.push('#versions :versions');
      values[':versions'] = g.versions;
    }
    // Every name is a placeholder: several (count, type, …) are DynamoDB reserved words.
    const fields = ['type', 'frames', 'message', 'fingerprint', 'service', 'lastSeen', 'sample', 'expiresAt'] as const;
    const placeholder = {
      type: ':type',
      frames: ':frames',
      message: ':message',
      fingerprint: ':fp',
      service: ':service',
      lastSeen: ':last',
      sample: ':sample',
      expiresAt: ':x',
    } as const;
    const names: Record<string, string> = {
      '#count': 'count',
      '#environments': 'environments',
      '#versions': 'versions',
      '#firstSeen': 'firstSeen',
      '#ra': 'ra',
      '#rb': 'rb',
    };
    for (const f of fields) names[`#${f}`] = f;
    if (!g.versions.size) delete names['#versions'];
    const sets = [...fields.map((f) => `#${f} = ${placeholder[f]}`), '#firstSeen = if_not_exists(#firstSeen, :first)'];
    const fresh = 'NOT contains(#ra, :bid) AND NOT contains(#rb, :bid)';
    const append = {
      set: '#ra = list_append(if_not_exists(#ra, :empty), :bidl)',
      condition: `${fresh} AND (attribute_not_exists(#ra) OR size(#ra) < :ring)`,
    };
    const rotate = { set: '#rb = #ra, #ra = :bidl', condition: `${fresh} AND size(#ra) >= :ring` };
    let step = append;
    for (let attempt = 1; ; attempt++) {
      this.stats.errorGroupWrites++;
      try {
        await send(() =>
          this.client.send(
            new UpdateCommand({
              TableName: this.table,
              Key: { pk: keys.errorGroupPk(g.service), sk: g.fingerprint },
              UpdateExpression: `ADD ${adds.join(', ')} SET ${[...sets, step.set].join(', ')}`,
              ConditionExpression: step.condition,
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: {
                ...values,
                ...(step === append ? { ':empty': [], ':ring': RING } : { ':ring': RING }),
              },
            }),
          ),
        );
        return;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException) || attempt >= 6) throw error;
      }
      const { Item } = await send(() =>
        this.client.send(
          new GetCommand({
            TableName: this.table,
            Key: { pk: keys.errorGroupPk(g.service), sk: g.fingerprint },
            ConsistentRead: true,
            ProjectionExpression: 'ra, rb',
          }),
        ),
      );
      const ra = (Item?.ra as string[] | undefined) ?? [];
      const rb = (Item?.rb as string[] | undefined) ?? [];
      if (ra.includes(scope.batchId) || rb.includes(scope.batchId)) return; // applied by an earlier attempt
      step = ra.length >= RING ? rotate : append;
    }
  }

  admitService(
    service: string,
    environment: string,
    now: number,
    limits: ServiceLimits,
    scope: WriteScope,
  ): Promise<void> {
    return this.services.admit(service, environment, now, limits, scope);
  }

  applySummary(service: string, deltas: readonly SummaryDelta[], scope: WriteScope): Promise<void> {
    return this.summaries.apply(service, deltas, scope);
  }
}
