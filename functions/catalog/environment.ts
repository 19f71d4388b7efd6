import { FUNCTIONS, type FunctionName, type FunctionSpec } from './functions.js';
import { QUEUES, type QueueName } from './queues.js';
import { PLATFORM_SETTINGS, SETTINGS, type SettingName, type SettingSpec } from './settings.js';
import { TABLES, type TableName } from './tables.js';
import { TOPICS, type TopicName } from './topics.js';

/**
 * What one deployment (a CDK stage, or one local-mode instance) provides: physical table names, topic
 * ARNs, and setting values keyed by environment variable.
 */
export interface Deployment {
  readonly tables: Readonly<Record<TableName, string>>;
  readonly topics: Readonly<Partial<Record<TopicName, string>>>;
  /** Queue URLs (absent in local mode). */
  readonly queues?: Readonly<Partial<Record<QueueName, string>>>;
  readonly settings: Readonly<Record<string, string | undefined>>;
}

/** The settings a function reads: the platform ones and those its entry lists. */
export function settingsOf(spec: FunctionSpec): SettingName[] {
  return [...new Set([...PLATFORM_SETTINGS, ...spec.settings])];
}

/**
 * A function's environment, derived from its catalogue entry: the names of the tables and topics it is
 * granted (and no others, so touching anything else fails the same way in local mode as in AWS) and the
 * values of the settings it reads. The CDK service stack sets each Lambda's environment from this; local
 * mode passes it to the handler factory. `spec` may be a modified copy of an entry (tests).
 */
export function functionEnvironment(fn: FunctionName | FunctionSpec, deployment: Deployment): Record<string, string> {
  const spec: FunctionSpec = typeof fn === 'string' ? FUNCTIONS[fn] : fn;
  const env: Record<string, string> = {};
  for (const table of Object.keys(spec.tables) as TableName[]) env[TABLES[table].envVar] = deployment.tables[table];
  for (const topic of spec.topics ?? []) {
    const arn = deployment.topics[topic];
    if (arn) env[TOPICS[topic].envVar] = arn;
  }
  for (const queue of spec.queues ?? []) {
    const url = deployment.queues?.[queue];
    if (url) env[QUEUES[queue].envVar] = url;
  }
  for (const name of settingsOf(spec)) {
    const setting: SettingSpec = SETTINGS[name];
    const value = setting.env ? deployment.settings[setting.env] : undefined;
    if (setting.env && value !== undefined) env[setting.env] = value;
  }
  return env;
}
