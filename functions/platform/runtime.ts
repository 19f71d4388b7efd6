import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type CursorCodec, cursorCodec } from '../adapters/cursor.js';
import { documentClient, dynamoDbClient } from '../adapters/dynamodb.js';
import { DynamoDbTokenStore } from '../adapters/dynamodb-token-store.js';
import type { FunctionName } from '../catalog/functions.js';
import { type Clock, systemClock } from '../core/clock.js';
import { type Authenticator, authenticator } from './auth.js';
import { type FunctionEnv, type FunctionSettings, functionSettings, tableName } from './config.js';
import { type Observability, observability } from './observability.js';

/** What every function builds once at cold start: validated settings, clients, auth, observability. */
export interface Runtime<F extends FunctionName> {
  readonly settings: FunctionSettings<F>;
  readonly env: FunctionEnv;
  /** Document client (plain values), over `dynamodb`. */
  readonly db: DynamoDBDocumentClient;
  /** The underlying DynamoDB client, for libraries that take one (Powertools idempotency). */
  readonly dynamodb: DynamoDBClient;
  readonly obs: Observability;
  readonly clock: Clock;
  readonly auth: Authenticator;
  /** Signs and checks paging cursors with the `cursorKey` setting (or a key drawn at start). */
  readonly cursors: CursorCodec;
  /** A granted table's physical name; any other table throws (see config.ts). */
  table(name: Parameters<typeof tableName>[0]): string;
}

/** What a test (or local mode) may inject into a handler factory instead of the defaults. */
export interface RuntimeOverrides {
  readonly clock?: Clock;
  /**
   * Called with every DynamoDB client the function builds, before first use (tests add AWS SDK middleware
   * that injects storage faults).
   */
  readonly configureDynamoDb?: (client: DynamoDBClient) => void;
}

export function runtime<F extends FunctionName>(
  name: F,
  env: FunctionEnv,
  overrides: RuntimeOverrides = {},
): Runtime<F> {
  const settings = functionSettings(name, env);
  const dynamodb = dynamoDbClient({ endpoint: settings.dynamodbEndpoint });
  overrides.configureDynamoDb?.(dynamodb);
  const db = documentClient(dynamodb);
  const clock = overrides.clock ?? systemClock;
  const auth: Authenticator = env.VIGIL_TABLE_TOKENS
    ? authenticator(new DynamoDbTokenStore(db, tableName('tokens', env)), {
        cacheSeconds: settings.tokenCacheSeconds,
        now: clock,
      })
    : {
        authenticate: async () => {
          throw new Error(`${name}: no tokens table granted`);
        },
      };
  return {
    settings,
    env,
    db,
    dynamodb,
    obs: observability(name, settings),
    clock,
    auth,
    cursors: cursorCodec((settings as { cursorKey?: string | undefined }).cursorKey || undefined),
    table: (t) => tableName(t, env),
  };
}
