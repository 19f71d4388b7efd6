import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  ListTablesCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { TABLE_NAMES, TABLES, type TableName, type TableSpec } from '../../functions/catalog/tables.js';

/** The CreateTable input for a table spec (on-demand; every key attribute is a string). */
export function createTableInput(spec: TableSpec, physicalName: string): CreateTableCommandInput {
  const attrs = new Set<string>([spec.partitionKey, ...(spec.sortKey ? [spec.sortKey] : [])]);
  for (const index of spec.indexes) {
    attrs.add(index.partitionKey);
    if (index.sortKey) attrs.add(index.sortKey);
  }
  return {
    TableName: physicalName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attrs].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: spec.partitionKey, KeyType: 'HASH' },
      ...(spec.sortKey ? [{ AttributeName: spec.sortKey, KeyType: 'RANGE' as const }] : []),
    ],
    ...(spec.indexes.length
      ? {
          GlobalSecondaryIndexes: spec.indexes.map((index) => ({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
              ...(index.sortKey ? [{ AttributeName: index.sortKey, KeyType: 'RANGE' as const }] : []),
            ],
            Projection: { ProjectionType: 'ALL' as const },
          })),
        }
      : {}),
  };
}

export interface LocalDynamo {
  readonly endpoint: string;
  /** Physical name of each table. */
  readonly tables: Record<TableName, string>;
  close(): Promise<void>;
}

/**
 * Starts dynalite on a loopback port (on disk under `dataDir`, or in memory) and creates every table
 * that does not exist yet.
 */
export async function startLocalDynamo(options: { dataDir?: string; prefix?: string }): Promise<LocalDynamo> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const server = dynalite({
    ...(options.dataDir ? { path: options.dataDir } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const prefix = options.prefix ?? 'vigil-local-';
  const existing = new Set((await client.send(new ListTablesCommand({}))).TableNames ?? []);
  const tables = {} as Record<TableName, string>;
  for (const table of TABLE_NAMES) {
    const spec: TableSpec = TABLES[table];
    const physical = `${prefix}${spec.name}`;
    tables[table] = physical;
    if (existing.has(physical)) continue;
    await client.send(new CreateTableCommand(createTableInput(spec, physical)));
    await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName: physical });
  }
  client.destroy();
  return {
    endpoint,
    tables,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}
