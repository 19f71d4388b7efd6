import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient, dynamoDbClient } from '../../functions/adapters/dynamodb.js';
import { DynamoDbSeriesRegistry } from '../../functions/adapters/dynamodb-series-registry.js';
import { seriesOf } from '../../functions/core/telemetry/rollup-plan.js';
import { type LocalDynamo, startLocalDynamo } from '../../lib/local/dynamo.js';

/**
 * Issue #15 item 7 (series): a flood of new series cannot exhaust memory or cost. Past the limit, an instance
 * stops writing to the service's counter for new series (one refusal is enough for a minute), and what it
 * remembers of known series is an LRU of fixed size. Real registry against dynalite, writes counted by AWS SDK
 * middleware.
 */
let dynamo: LocalDynamo;
const counted: { command: string; input: string }[] = [];
let db: ReturnType<typeof documentClient>;

beforeAll(async () => {
  dynamo = await startLocalDynamo({});
  const client = dynamoDbClient({ endpoint: dynamo.endpoint });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      counted.push({ command: String(context.commandName), input: JSON.stringify((args as { input: unknown }).input) });
      return next(args);
    },
    { step: 'initialize', name: 'count' },
  );
  db = documentClient(client);
});
afterAll(() => dynamo?.close());

const series = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) =>
    seriesOf({
      name: 'flood.metric',
      type: 'counter',
      tags: { user: `u${from + i}` },
      timestamp: 0,
      contribution: { count: 1, sum: 1, min: 1, max: 1 },
    }),
  );
const counterWrites = (service: string) =>
  counted.filter(
    (c) => c.command === 'UpdateItemCommand' && c.input.includes(`"S#${service}"`) && c.input.includes('#count'),
  ).length;

describe('a flood of new series', () => {
  it('stops costing counter writes once the service is full', async () => {
    const registry = new DynamoDbSeriesRegistry(db, dynamo.tables.telemetry);
    const now = 1_000_000;
    let admitted = 0;
    for (let batch = 0; batch < 10; batch++) {
      admitted += (await registry.admit('flood', series(batch * 100, 100), 20, now + batch)).size;
    }
    expect(admitted).toBe(20);
    // 20 slots taken, then at most one refusal per worker in flight (8) before the instance knows: not 980.
    expect(counterWrites('flood')).toBeLessThanOrEqual(20 + 8);
    // A minute later it asks again (another instance may have given slots back, or the limit changed).
    const before = counterWrites('flood');
    await registry.admit('flood', series(5_000, 3), 20, now + 61_000);
    expect(counterWrites('flood') - before).toBeGreaterThan(0);
    // Known series still pass, with no write.
    const known = series(0, 100).slice(0, 5);
    const again = await registry.admit('flood', known, 20, now + 61_001);
    expect(again.size).toBeGreaterThan(0);
  });

  it('remembers at most its capacity of known series', async () => {
    const registry = new DynamoDbSeriesRegistry(db, dynamo.tables.telemetry, {}, 50);
    for (let s = 0; s < 4; s++) await registry.admit(`many-${s}`, series(0, 60), 1_000, 0);
    expect(registry.known.size).toBe(50);
  });
});
