import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AlertNotifyState, GroupState } from '../core/alerting/model.js';
import type { PipelineState, PipelineStateStore } from '../core/alerting/ports.js';
import { batchPut } from './dynamodb-batch-write.js';
import { queryAll } from './dynamodb-paging.js';

/**
 * The pipeline's memory between evaluations in the alerts table: `NSTATE`/{alertId} (throttling, repeats,
 * escalation steps, the last transition processed) and `NGROUP`/{key} (a group's latest flush). Each kind
 * is one partition read per run. Writes are plain puts: two runs racing compute the same values, and the
 * outbox's ids keep their notifications apart.
 */
const ALERTS = 'NSTATE';
const GROUPS = 'NGROUP';

const strip = <T>(item: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
};

export class DynamoDbPipelineState implements PipelineStateStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async load(): Promise<PipelineState> {
    const read = (pk: string) =>
      queryAll(this.client, {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
      });
    const [alerts, groups] = await Promise.all([read(ALERTS), read(GROUPS)]);
    return { alerts: alerts.map(strip<AlertNotifyState>), groups: groups.map(strip<GroupState>) };
  }

  async save(changes: PipelineState): Promise<void> {
    await batchPut(this.client, this.table, [
      ...changes.alerts.map((s) => ({ ...s, pk: ALERTS, sk: s.alertId })),
      ...changes.groups.map((g) => ({ ...g, pk: GROUPS, sk: g.key })),
    ]);
  }
}
