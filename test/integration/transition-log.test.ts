import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamodb.js';
import { DynamoDbTransitionLog } from '../../functions/adapters/dynamodb-transition-log.js';
import type { AlertTransition } from '../../functions/core/alerting/model.js';
import { reason } from '../../functions/core/reason.js';
import { type LocalDynamo, startLocalDynamo } from '../../lib/local/dynamo.js';

let dynamo: LocalDynamo;
let log: DynamoDbTransitionLog;
const T0 = Date.UTC(2026, 0, 5, 12);

const t = (seq: number, to: AlertTransition['to'], at: number): AlertTransition => ({
  alertId: 'r1#abc',
  ruleId: 'r1',
  seq,
  from: 'inactive',
  to,
  at,
  value: seq,
  reason: reason('condition-true', `evaluation ${seq}`),
});

beforeAll(async () => {
  dynamo = await startLocalDynamo({});
  log = new DynamoDbTransitionLog(documentClient({ endpoint: dynamo.endpoint }), dynamo.tables.alerts, 1);
});
afterAll(() => dynamo?.close());

describe('transition log in DynamoDB', () => {
  it('keeps each transition once, in order, until its retention ends', async () => {
    await log.append([t(2, 'firing', T0 + 60_000), t(1, 'pending', T0)]);
    // A second writer of the same transition number changes nothing.
    await log.append([{ ...t(2, 'firing', T0 + 61_000), value: 99 }]);
    await log.append([t(10, 'resolved', T0 + 120_000)]);
    const all = await log.forAlert('r1#abc', T0 + 120_000);
    expect(all.map((x) => [x.seq, x.to, x.value])).toEqual([
      [1, 'pending', 1],
      [2, 'firing', 2],
      [10, 'resolved', 10],
    ]);
    expect(all[0]).toEqual(t(1, 'pending', T0));
    expect(await log.forAlert('r1#abc', T0 + 2 * 86_400_000)).toEqual([]);
    expect(await log.forAlert('other', T0)).toEqual([]);
  });
});
