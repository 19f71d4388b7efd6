import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LimitReachedError } from '../core/errors.js';
import type { ServiceLimits } from '../core/telemetry/ports.js';
import type { WriteScope } from '../core/telemetry/write-scope.js';
import { type RetryPolicy, retrying } from './dynamodb-batch-write.js';
import { countedInsert } from './dynamodb-counted-insert.js';
import { LruCache } from './lru-cache.js';
import { keys, summaryKeys } from './telemetry-keys.js';

/**
 * The services list and its two bounds. A batch's service is admitted before anything of it is written: a
 * known service has its `lastSeen` set and its environment added, while it has fewer than
 * `maxEnvironments` or already has that one (one conditional write); a new service first reserves a slot on
 * the services counter (`ADD n 1` only while `n < maxServices`, atomic) and then registers itself. Each
 * instance remembers, in an LRU of bounded size, which (service, environment) pairs it wrote lately, so a
 * steady stream of batches writes the list at most every 30 s per pair.
 */

const TOUCH_EVERY_MS = 30_000;
export const TOUCHED_CAPACITY = 10_000;

export class DynamoDbServiceRegistry {
  readonly touched = new LruCache<string, number>(TOUCHED_CAPACITY);
  readonly stats = { writes: 0 };

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly retry: RetryPolicy = {},
  ) {}

  async admit(service: string, environment: string, now: number, limits: ServiceLimits, scope: WriteScope) {
    const pair = `${service}|${environment}`;
    const last = this.touched.get(pair);
    if (last !== undefined && now - last < TOUCH_EVERY_MS) return;
    const send = retrying(this.retry, scope);
    const key = { pk: keys.services(), sk: service };
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        this.stats.writes++;
        await send(() =>
          this.client.send(
            new UpdateCommand({
              TableName: this.table,
              Key: key,
              UpdateExpression: 'SET #service = :s, #lastSeen = :now ADD #environments :envs',
              ConditionExpression:
                'attribute_exists(sk) AND (contains(#environments, :env) OR size(#environments) < :cap)',
              ExpressionAttributeNames: {
                '#service': 'service',
                '#lastSeen': 'lastSeen',
                '#environments': 'environments',
              },
              ExpressionAttributeValues: {
                ':s': service,
                ':now': now,
                ':env': environment,
                ':envs': new Set([environment]),
                ':cap': limits.maxEnvironments,
              },
            }),
          ),
        );
        // Remembered only once written: a failed write is tried again by the next batch.
        this.touched.set(pair, now);
        return;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      const { Item } = await send(() =>
        this.client.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true })),
      );
      if (Item) {
        const environments = (Item.environments as Set<string> | undefined) ?? new Set<string>();
        // Created by another writer between our two calls: try the known-service write again.
        if (environments.has(environment) || environments.size < limits.maxEnvironments) continue;
        throw new LimitReachedError(
          `service ${service} already has ${limits.maxEnvironments} environments (the limit); environment ${environment} is refused`,
          'environments',
        );
      }
      if (await this.register(service, environment, now, limits, send)) {
        this.touched.set(pair, now);
        return;
      }
      // Registered by another writer meanwhile: the known-service write is tried again.
    }
    throw new Error(`service ${service}: could not be registered (concurrent changes)`);
  }

  /** A new service: a slot on the counter, then the service's item; the slot is given back if another writer won. */
  private async register(
    service: string,
    environment: string,
    now: number,
    limits: ServiceLimits,
    send: ReturnType<typeof retrying>,
  ): Promise<boolean> {
    const outcome = await countedInsert(this.client, send, {
      table: this.table,
      counterKey: summaryKeys.servicesCount,
      limit: limits.maxServices,
      item: { pk: keys.services(), sk: service, service, lastSeen: now, environments: new Set([environment]) },
      onWrite: () => this.stats.writes++,
    });
    if (outcome === 'full') {
      throw new LimitReachedError(
        `Vigil already stores ${limits.maxServices} services (the limit, VIGIL_MAX_SERVICES); service ${service} is new and is refused`,
        'services',
      );
    }
    // `exists`: registered by another writer meanwhile (its slot given back); the caller admits it as known.
    return outcome === 'inserted';
  }
}
