import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FunctionName } from '../../lib/functions.js';
import { documentClient, dynamoDbClient } from '../adapters/dynamodb.js';
import { DynamoDbTokenStore } from '../adapters/dynamodb-token-store.js';
import { type Clock, systemClock } from '../core/clock.js';
import { type Authenticator, authenticator } from './auth.js';
import { type Env, type PlatformConfig, platformConfig, tableName } from './config.js';
import { type Observability, observability } from './observability.js';

/** What every function builds once at cold start: validated config, clients, auth, observability. */
export interface Runtime {
  readonly config: PlatformConfig;
  readonly env: Env;
  /** Document client (plain values), over `dynamodb`. */
  readonly db: DynamoDBDocumentClient;
  /** The underlying DynamoDB client, for libraries that take one (Powertools idempotency). */
  readonly dynamodb: DynamoDBClient;
  readonly obs: Observability;
  readonly clock: Clock;
  readonly auth: Authenticator;
}

export function runtime(name: FunctionName, env: Env = process.env): Runtime {
  const config = platformConfig(env);
  const dynamodb = dynamoDbClient({ endpoint: config.VIGIL_DYNAMODB_ENDPOINT });
  const db = documentClient(dynamodb);
  const clock = systemClock;
  const auth: Authenticator = env.VIGIL_TABLE_TOKENS
    ? authenticator(new DynamoDbTokenStore(db, tableName('tokens', env)), {
        cacheSeconds: config.VIGIL_TOKEN_CACHE_SECONDS,
        now: clock,
      })
    : {
        authenticate: async () => {
          throw new Error(`${name}: no tokens table configured`);
        },
      };
  return { config, env, db, dynamodb, obs: observability(name), clock, auth };
}
