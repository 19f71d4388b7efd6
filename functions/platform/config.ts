import { FUNCTIONS, type FunctionName } from '../catalog/functions.js';
import { ConfigError, type Env, readSettings, type SettingValues } from '../catalog/setting-schema.js';
import { PLATFORM_SETTINGS, type PlatformSettingName } from '../catalog/settings.js';
import { TABLES, type TableName } from '../catalog/tables.js';
import { TOPICS, type TopicName } from '../catalog/topics.js';

/**
 * A function's configuration, read once at cold start from the environment its catalogue entry declares
 * (`functions/catalog/environment.ts`). Precedence: explicit options > environment > the catalogue's
 * default. A bad setting fails at start naming the setting and the rule it broke.
 */
export type FunctionEnv = Env;

/** The settings a function reads: the platform ones and those of its catalogue entry. */
export type FunctionSettings<F extends FunctionName> = SettingValues<
  PlatformSettingName | (typeof FUNCTIONS)[F]['settings'][number]
>;

export function functionSettings<F extends FunctionName>(fn: F, env: FunctionEnv): FunctionSettings<F> {
  return readSettings([...PLATFORM_SETTINGS, ...FUNCTIONS[fn].settings], env) as FunctionSettings<F>;
}

/**
 * The physical name of a table. A function only has the names of the tables it is granted, so asking for
 * another fails here, at start, in local mode and tests as in AWS (where IAM would refuse it later).
 */
export function tableName(table: TableName, env: FunctionEnv): string {
  const { envVar } = TABLES[table];
  const value = env[envVar];
  if (!value) throw new ConfigError(`the ${table} table is not granted to this function (${envVar} is not set)`);
  return value;
}

/** The ARN of a topic, from the environment variable the stacks set (absent in local mode). */
export function topicArn(topic: TopicName, env: FunctionEnv): string | undefined {
  return env[TOPICS[topic].envVar] || undefined;
}
