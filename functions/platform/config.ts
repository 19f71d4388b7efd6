import * as v from 'valibot';
import { TABLES, type TableName } from '../../lib/tables.js';
import { TOPICS, type TopicName } from '../../lib/topics.js';

/**
 * Configuration is read and validated once, at cold start. Precedence: explicit options > environment >
 * default. A bad setting fails fast with an error that names it.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type Env = Readonly<Record<string, string | undefined>>;

/** A whole-number setting given as a string, with bounds. */
export const intSetting = (fallback: number, min: number, max: number) =>
  v.pipe(
    v.optional(v.string(), String(fallback)),
    v.transform((s) => Number(s)),
    v.number('must be a number'),
    v.integer('must be a whole number'),
    v.minValue(min, `must be at least ${min}`),
    v.maxValue(max, `must be at most ${max}`),
  );

export function readConfig<S extends v.GenericSchema<Env, unknown>>(
  schema: S,
  env: Env = process.env,
): v.InferOutput<S> {
  const result = v.safeParse(schema, env);
  if (result.success) return result.output;
  const problems = result.issues.map(
    (i) => `${v.getDotPath(i) ?? '(config)'}: ${i.message} (got ${JSON.stringify(i.input)})`,
  );
  throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
}

const platformSchema = v.object({
  VIGIL_STAGE: v.optional(v.string(), 'local'),
  VIGIL_DYNAMODB_ENDPOINT: v.optional(v.pipe(v.string(), v.url('must be a URL'))),
  VIGIL_MAX_BODY_BYTES: intSetting(1_048_576, 1_024, 10_485_760),
  VIGIL_TOKEN_CACHE_SECONDS: intSetting(30, 0, 3_600),
  VIGIL_VERSION: v.optional(v.string(), '0.1.0'),
});

export type PlatformConfig = v.InferOutput<typeof platformSchema>;

export function platformConfig(env: Env = process.env): PlatformConfig {
  return readConfig(platformSchema, env);
}

/** The physical name of a table, from the environment variable the stacks set. */
export function tableName(table: TableName, env: Env = process.env): string {
  const { envVar } = TABLES[table];
  const value = env[envVar];
  if (!value) throw new ConfigError(`missing setting ${envVar} (the ${table} table's name)`);
  return value;
}

/** The ARN of a topic, from the environment variable the stacks set. */
export function topicArn(topic: TopicName, env: Env = process.env): string | undefined {
  return env[TOPICS[topic].envVar] || undefined;
}
