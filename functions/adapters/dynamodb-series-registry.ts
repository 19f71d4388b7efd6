import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SeriesInfo } from '../core/telemetry/rollup-plan.js';
import { mapLimit, type RetryingCall, type RetryPolicy, retrying } from './dynamodb-batch-write.js';
import { countedInsert } from './dynamodb-counted-insert.js';
import { LruCache } from './lru-cache.js';
import { keys } from './telemetry-keys.js';

/**
 * The series registry and the per-service cardinality guard. A new series first reserves a slot on the
 * service's counter (`ADD n 1` only while `n < limit`, atomic), then registers itself (`attribute_not_exists`);
 * if another writer registered it meanwhile, the slot is given back. So the counter never undercounts and
 * the limit holds under concurrency. Known series are remembered per instance (an LRU of `knownCapacity`):
 * steady-state ingest reads nothing here. A flood of new series costs little: once a service's counter has
 * refused a slot, the instance refuses that service's new series for `FULL_FOR_MS` without writing (it
 * still reads whether a series exists, since another instance may have registered it).
 */
const FULL_FOR_MS = 60_000;

export class DynamoDbSeriesRegistry {
  readonly known: LruCache<string, true>;
  /** Services whose counter refused a slot, and when. */
  readonly full = new LruCache<string, number>(10_000);
  stats = { reads: 0, writes: 0 };

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly retry: RetryPolicy = {},
    knownCapacity = 100_000,
  ) {
    this.known = new LruCache(knownCapacity);
  }

  async admit(
    service: string,
    series: readonly SeriesInfo[],
    limit: number,
    now: number,
    scope?: { remainingMs(): number },
  ): Promise<Set<string>> {
    const send = retrying(this.retry, scope);
    const admitted = new Set<string>();
    const unknown: SeriesInfo[] = [];
    for (const s of series) {
      if (this.known.get(`${service}|${s.id}`)) admitted.add(s.id);
      else unknown.push(s);
    }
    if (!unknown.length) return admitted;
    const found = await this.existing(service, unknown, send);
    const fresh = unknown.filter((s) => !found.has(s.id));
    for (const id of found) this.learn(service, id, admitted);
    const fullSince = this.full.get(service);
    if (fullSince !== undefined && now - fullSince < FULL_FOR_MS) return admitted;
    await mapLimit(fresh, 8, async (s) => {
      if (this.full.get(service) !== undefined && now - this.full.get(service)! < FULL_FOR_MS) return;
      if (await this.register(service, s, limit, now, send)) this.learn(service, s.id, admitted);
      else this.full.set(service, now);
    });
    return admitted;
  }

  private learn(service: string, id: string, admitted: Set<string>): void {
    this.known.set(`${service}|${id}`, true);
    admitted.add(id);
  }

  private async existing(service: string, series: readonly SeriesInfo[], send: RetryingCall): Promise<Set<string>> {
    const found = new Set<string>();
    const pk = keys.registryPk(service);
    for (let i = 0; i < series.length; i += 100) {
      let request: Record<string, unknown>[] | undefined = series
        .slice(i, i + 100)
        .map((s) => ({ pk, sk: keys.registrySk(s.name, s.id) }));
      for (let attempt = 0; request?.length && attempt < 6; attempt++) {
        if (attempt) await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
        this.stats.reads++;
        const out = await send(() =>
          this.client.send(
            new BatchGetCommand({
              RequestItems: { [this.table]: { Keys: request, ProjectionExpression: 'seriesId' } },
            }),
          ),
        );
        for (const item of out.Responses?.[this.table] ?? []) found.add(String(item.seriesId));
        request = out.UnprocessedKeys?.[this.table]?.Keys as Record<string, unknown>[] | undefined;
      }
    }
    return found;
  }

  private async register(
    service: string,
    s: SeriesInfo,
    limit: number,
    now: number,
    send: RetryingCall,
  ): Promise<boolean> {
    const outcome = await countedInsert(this.client, send, {
      table: this.table,
      counterKey: keys.seriesCount(service),
      limit,
      item: {
        pk: keys.registryPk(service),
        sk: keys.registrySk(s.name, s.id),
        seriesId: s.id,
        name: s.name,
        type: s.type,
        ...(s.unit ? { unit: s.unit } : {}),
        tags: s.tags,
        createdAt: now,
      },
      onWrite: () => this.stats.writes++,
    });
    // `exists`: someone registered it first, so it is admitted (and the slot taken was given back).
    return outcome !== 'full';
  }
}
