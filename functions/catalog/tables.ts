/**
 * Every DynamoDB table Vigil uses: keys, indexes and TTL attribute, defined once. The CDK stateful stack
 * and local mode (dynalite) both build tables from this module. All key attributes are strings.
 *
 * TTL attributes hold epoch seconds. DynamoDB deletes expired items up to two days late and dynalite never
 * does, so every read filters them (`functions/core/expiry.ts`).
 *
 * Access patterns (pk / sk):
 *
 * tokens      get by id (auth, every request; cached)        id = first 16 hex of sha256(token)
 *             list / delete (admin)                          Scan: a handful of items
 * telemetry   metric rollup (ingest: 1 UpdateItem per series-step)          pk `M#{svc}#{seriesId}`    sk `{stepStart}` (13-digit ms)
 *             series registry (tags, type) + cardinality counter         pk `S#{svc}`               sk `{name}#{seriesId}` / `#count`
 *             logs by service and hour, newest first                     pk `L#{svc}#{hourStart}`   sk `{ts}#{id}`
 *             logs by trace (gsi1)                                       gsi1pk `LT#{traceId}`      gsi1sk `{ts}#{id}`
 *             spans of one trace                                         pk `T#{traceId}`           sk `{spanId}`
 *             entry spans by service and time (gsi1): trace summaries    gsi1pk `TS#{svc}`          gsi1sk `{ts}#{traceId}#{spanId}`
 *             error groups by service                                    pk `E#{svc}`               sk `{fingerprint}`
 *             error events of a group                                    pk `EV#{svc}#{fingerprint}` sk `{ts}#{id}`
 *             services seen                                              pk `SVC`                   sk `{svc}`
 *             services counter (VIGIL_MAX_SERVICES)                      pk `SVCN`                  sk `#count`
 *             service summaries per step (GET /v1/services)              pk `SS#{hourStart}#{shard}` sk `{stepStart}#{svc}`
 * probes      targets (one query per run)                               pk `TARGET`                sk `{id}`
 *             current state per target, with the open hour's rollup     pk `STATUS`                sk `{id}`
 *             probe history per target and time (TTL)                   pk `H#{id}`                sk `{ts}`
 *             finished hourly rollups: counts + latency buckets (TTL)   pk `R#{id}`                sk `{hourStart}`
 *             a target's status transitions (TTL)                       pk `TE#{id}`               sk `{ts}`
 *             all status transitions by UTC day (TTL)                   pk `EVENT#{day}`           sk `{ts}#{id}`
 *             ({ts} = epoch ms zero-padded to 15 digits; see dynamodb-probe-history.ts)
 * alerts      rules, silences, alert state, notification log            pk `{KIND}`                sk `{id}` / `{ts}#{id}`
 *             alert state (versioned writes)                             pk `ALERT`                 sk `{alertId}`
 *             silences                                                   pk `SILENCE`               sk `{id}`
 *             outbox = notification log, by id (conditional create)      pk `OUTBOX`                sk `{notificationId}`
 *               newest first (gsi1)                                      gsi1pk `NOTIFICATION`      gsi1sk `{ts}#{id}`
 *               due for delivery or release, sparse (gsi2)               gsi2pk `DUE`               gsi2sk `{ts}#{id}`
 *             pipeline state per alert / per notification group          pk `NSTATE` / `NGROUP`     sk `{alertId}` / `{key}`
 * deployments verifications by id; by service and time (gsi1)           pk `V#{id}`                gsi1pk `VS#{svc}`
 * idempotency Powertools idempotency records                            id                          (TTL `expiration`)
 *
 * The exact layouts live with the adapters that own them (`functions/adapters/*-store.ts`).
 */
export interface IndexSpec {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
}

export interface TableSpec {
  /** Logical name; also the CloudFormation construct id. */
  readonly name: string;
  /** Environment variable that carries the physical table name into a function. */
  readonly envVar: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly ttlAttribute?: string;
  readonly indexes: readonly IndexSpec[];
}

const gsi1: IndexSpec = { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' };
/** Sparse: only items that carry `gsi2pk` (outbox records due for delivery). */
const gsi2: IndexSpec = { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' };

export const TABLES = {
  tokens: { name: 'tokens', envVar: 'VIGIL_TABLE_TOKENS', partitionKey: 'id', indexes: [] },
  telemetry: {
    name: 'telemetry',
    envVar: 'VIGIL_TABLE_TELEMETRY',
    partitionKey: 'pk',
    sortKey: 'sk',
    ttlAttribute: 'expiresAt',
    indexes: [gsi1],
  },
  probes: {
    name: 'probes',
    envVar: 'VIGIL_TABLE_PROBES',
    partitionKey: 'pk',
    sortKey: 'sk',
    ttlAttribute: 'expiresAt',
    indexes: [],
  },
  alerts: {
    name: 'alerts',
    envVar: 'VIGIL_TABLE_ALERTS',
    partitionKey: 'pk',
    sortKey: 'sk',
    ttlAttribute: 'expiresAt',
    indexes: [gsi1, gsi2],
  },
  deployments: {
    name: 'deployments',
    envVar: 'VIGIL_TABLE_DEPLOYMENTS',
    partitionKey: 'pk',
    sortKey: 'sk',
    ttlAttribute: 'expiresAt',
    indexes: [gsi1],
  },
  idempotency: {
    name: 'idempotency',
    envVar: 'VIGIL_TABLE_IDEMPOTENCY',
    partitionKey: 'id',
    ttlAttribute: 'expiration',
    indexes: [],
  },
} as const satisfies Record<string, TableSpec>;

export type TableName = keyof typeof TABLES;

export const TABLE_NAMES = Object.keys(TABLES) as TableName[];
