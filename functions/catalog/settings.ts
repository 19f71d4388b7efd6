/**
 * Every setting Vigil reads, declared once: the environment variable a function reads it from, the CDK
 * context key that sets it at deploy, its type, default and rule, and one line for the README. Which
 * functions read a setting is in the function catalogue (`functions.ts`, `settings:`); `platform`
 * settings are read by every function. The README's settings tables are generated from this list
 * (`npm run docs:settings`), and `setting-schema.ts` builds the validators from it.
 */
export type SettingWhere =
  /** Read by every function (the platform runtime). */
  | 'platform'
  /** Read by the functions whose catalogue entry lists it. */
  | 'function'
  /** Read by the CDK app only (`cdk.json` context or `-c key=value`). */
  | 'deploy'
  /** Read by local mode (`npm start`) only. */
  | 'local';

interface Common {
  readonly where: SettingWhere;
  /** Environment variable (functions and local mode). */
  readonly env?: string;
  /** CDK context key that sets it at deploy. */
  readonly context?: string;
  readonly description: string;
}

export interface IntSetting extends Common {
  readonly kind: 'int';
  readonly default: number;
  readonly min: number;
  readonly max: number;
  /** A further rule beyond the range. */
  readonly also?: { readonly test: (n: number) => boolean; readonly rule: string };
  /** Only these values (CloudWatch Logs retention). */
  readonly oneOf?: readonly number[];
}

export interface TextSetting extends Common {
  readonly kind: 'text';
  /** Absent: the setting is optional. */
  readonly default?: string;
  readonly pattern?: RegExp;
  readonly rule?: string;
  /** At least this many characters when given (secrets). */
  readonly minLength?: number;
}

export interface ChoiceSetting extends Common {
  readonly kind: 'choice';
  readonly values: readonly string[];
  readonly default: string;
}

/** A URL (optional), or a comma-separated list of URLs (`list: true`, default empty). */
export interface UrlSetting extends Common {
  readonly kind: 'url';
  readonly list?: boolean;
}

export interface EmailSetting extends Common {
  readonly kind: 'email';
}

export type SettingSpec = IntSetting | TextSetting | ChoiceSetting | UrlSetting | EmailSetting;

const days = (
  env: string,
  context: string,
  fallback: number,
  description: string,
  max = 3_650,
  where: SettingWhere = 'function',
) => ({ where, kind: 'int', env, context, default: fallback, min: 1, max, description }) as const;

const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'] as const;

export const SETTINGS = {
  // Every function.
  stage: {
    where: 'platform',
    kind: 'text',
    env: 'VIGIL_STAGE',
    context: 'stage',
    default: 'dev',
    pattern: /^[a-z][a-z0-9-]{0,19}$/,
    rule: 'lower-case letters, digits and dashes, starting with a letter, at most 20',
    description: 'Deployment stage; part of every resource name. `prod` turns on deletion protection.',
  },
  version: {
    where: 'platform',
    kind: 'text',
    env: 'VIGIL_VERSION',
    default: '0.1.0',
    description: 'Version reported by `GET /health`.',
  },
  dynamodbEndpoint: {
    where: 'platform',
    kind: 'url',
    env: 'VIGIL_DYNAMODB_ENDPOINT',
    description: 'DynamoDB endpoint; set by local mode to its dynalite, absent in AWS.',
  },
  maxBodyBytes: {
    where: 'platform',
    kind: 'int',
    env: 'VIGIL_MAX_BODY_BYTES',
    default: 1_048_576,
    min: 1_024,
    max: 10_485_760,
    description: 'Largest request body the API functions accept (ingest has its own limit).',
  },
  tokenCacheSeconds: {
    where: 'platform',
    kind: 'int',
    env: 'VIGIL_TOKEN_CACHE_SECONDS',
    default: 30,
    min: 0,
    max: 3_600,
    description: 'How long a function caches a token lookup (a revoked token works this long at most).',
  },
  logLevel: {
    where: 'platform',
    kind: 'choice',
    env: 'POWERTOOLS_LOG_LEVEL',
    values: LOG_LEVELS,
    default: 'INFO',
    description: "Level of Vigil's own logs (Powertools Logger).",
  },
  logEvent: {
    where: 'platform',
    kind: 'choice',
    env: 'POWERTOOLS_LOGGER_LOG_EVENT',
    values: ['true', 'false'],
    default: 'false',
    description: 'Log each incoming event (the `Authorization` header is redacted).',
  },
  metricsDisabled: {
    where: 'platform',
    kind: 'choice',
    env: 'POWERTOOLS_METRICS_DISABLED',
    values: ['true', 'false'],
    default: 'false',
    description: "Mute Vigil's own CloudWatch metrics (EMF); local mode mutes them.",
  },

  // Telemetry.
  rollupStepSeconds: {
    where: 'function',
    kind: 'int',
    env: 'VIGIL_ROLLUP_STEP_SECONDS',
    context: 'rollupStepSeconds',
    default: 60,
    min: 10,
    max: 3_600,
    also: {
      test: (n: number) => 3_600 % n === 0,
      rule: 'must divide an hour (10, 15, 20, 30, 60, 120, 300, … seconds)',
    },
    description: 'Metric rollup resolution: the smallest query step.',
  },
  metricsRetentionDays: days(
    'VIGIL_RETENTION_METRICS_DAYS',
    'metricsRetentionDays',
    30,
    'How long metric rollups are kept.',
  ),
  logsRetentionDays: days('VIGIL_RETENTION_LOGS_DAYS', 'logsRetentionDays', 7, 'How long ingested logs are kept.'),
  spansRetentionDays: days('VIGIL_RETENTION_SPANS_DAYS', 'spansRetentionDays', 7, 'How long ingested spans are kept.'),
  errorsRetentionDays: days(
    'VIGIL_RETENTION_ERRORS_DAYS',
    'errorsRetentionDays',
    30,
    'How long error groups are kept.',
  ),
  maxSeriesPerService: {
    where: 'function',
    kind: 'int',
    env: 'VIGIL_MAX_SERIES_PER_SERVICE',
    default: 2_000,
    min: 1,
    max: 1_000_000,
    description: 'Distinct metric series (name + tags) per service; new series past it are refused.',
  },
  ingestMaxBodyBytes: {
    where: 'function',
    kind: 'int',
    env: 'VIGIL_INGEST_MAX_BODY_BYTES',
    default: 4_194_304,
    min: 1_024,
    max: 6_291_456,
    description: 'Largest ingest request body, after decompression.',
  },
  ingestMaxItems: {
    where: 'function',
    kind: 'int',
    env: 'VIGIL_INGEST_MAX_ITEMS',
    default: 10_000,
    min: 1,
    max: 100_000,
    description: 'Most items (points, logs, spans) in one ingest request.',
  },
  ingestMaxAgeHours: {
    where: 'function',
    kind: 'int',
    env: 'VIGIL_INGEST_MAX_AGE_HOURS',
    default: 24,
    min: 1,
    max: 720,
    description: 'Oldest timestamp accepted, in hours before now.',
  },
  ingestMaxFutureMinutes: {
    where: 'function',
    kind: 'int',
    env: 'VIGIL_INGEST_MAX_FUTURE_MINUTES',
    default: 10,
    min: 0,
    max: 1_440,
    description: 'Newest timestamp accepted, in minutes after now (clock skew).',
  },
  ingestMaxResources: {
    where: 'function',
    kind: 'int',
    env: 'VIGIL_INGEST_MAX_RESOURCES',
    default: 100,
    min: 1,
    max: 10_000,
    description: 'Most resources (resourceSpans/resourceLogs/resourceMetrics entries) in one OTLP request.',
  },
  maxServices: {
    where: 'function',
    kind: 'int',
    env: 'VIGIL_MAX_SERVICES',
    default: 1_000,
    min: 1,
    max: 100_000,
    description: 'Distinct services Vigil stores telemetry for; a batch of a new service past it is refused (422).',
  },
  idempotencyTtlSeconds: {
    where: 'function',
    kind: 'int',
    env: 'VIGIL_IDEMPOTENCY_TTL_SECONDS',
    default: 3_600,
    min: 60,
    max: 604_800,
    description: 'How long an `Idempotency-Key` is remembered.',
  },

  // Probing.
  probeConcurrency: {
    where: 'function',
    kind: 'int',
    env: 'VIGIL_PROBE_CONCURRENCY',
    default: 200,
    min: 1,
    max: 800,
    description: 'Probes in flight at once within one invocation.',
  },
  probeBatchSize: {
    where: 'function',
    kind: 'int',
    env: 'VIGIL_PROBE_BATCH_SIZE',
    default: 200,
    min: 1,
    max: 5_000,
    description: 'Due targets one invocation probes itself; the rest fan out to self-invocations.',
  },
  probeRetentionDays: days(
    'VIGIL_PROBE_RETENTION_DAYS',
    'probeRetentionDays',
    35,
    'How long probe history, hourly rollups and transitions are kept (30-day uptime needs 31).',
    400,
  ),
  probeMaxBodyBytes: {
    where: 'function',
    kind: 'int',
    env: 'VIGIL_PROBE_MAX_BODY_BYTES',
    default: 65_536,
    min: 1_024,
    max: 10_485_760,
    description: 'The most of a response body a probe reads.',
  },
  allowPrivateTargets: {
    where: 'function',
    kind: 'choice',
    env: 'VIGIL_ALLOW_PRIVATE_TARGETS',
    context: 'allowPrivateTargets',
    values: ['true', 'false'],
    default: 'false',
    description:
      'Private ranges and loopback may be fetched (probe targets, deploy URLs, webhooks). Link-local and metadata addresses never are. Local mode turns it on.',
  },
  selfFunctionName: {
    where: 'function',
    kind: 'text',
    env: 'VIGIL_SELF_FUNCTION_NAME',
    pattern: /^\S+$/,
    rule: 'a Lambda function name',
    description: 'Set by the service stack for functions that invoke themselves; absent in local mode.',
  },

  // Notifications.
  notifier: {
    where: 'function',
    kind: 'choice',
    env: 'VIGIL_NOTIFIER',
    values: ['sns', 'local'],
    default: 'sns',
    description: 'Where notifications go: SNS topics in AWS, the console and webhooks in local mode.',
  },
  webhooks: {
    where: 'function',
    kind: 'url',
    list: true,
    env: 'VIGIL_WEBHOOKS',
    description: 'Local mode: comma-separated URLs that receive each notification as an SNS-shaped POST.',
  },
  notificationRetentionDays: days(
    'VIGIL_NOTIFICATION_RETENTION_DAYS',
    'notificationRetentionDays',
    30,
    'How long the notification log is kept.',
  ),
  resolvedThroughSilence: {
    where: 'function',
    kind: 'choice',
    env: 'VIGIL_RESOLVED_THROUGH_SILENCE',
    context: 'resolvedThroughSilence',
    values: ['true', 'false'],
    default: 'true',
    description:
      'A resolved notice goes out through a silence when the firing notice was sent before the silence began.',
  },
  dashboardUrl: {
    where: 'function',
    kind: 'url',
    env: 'VIGIL_DASHBOARD_URL',
    description: 'Base URL of the dashboard, for the links in notifications (the stack sets it to the API URL).',
  },
  slackWebhooksSecret: {
    where: 'function',
    kind: 'text',
    env: 'VIGIL_SLACK_WEBHOOKS_SECRET',
    context: 'slackWebhooksSecret',
    pattern: /^(arn:aws[a-z-]*:(secretsmanager|ssm):[a-z0-9-]+:\d{12}:\S+|\/[A-Za-z0-9_.\-/]+)$/,
    rule: 'a Secrets Manager secret ARN or an SSM parameter name (/name) or ARN',
    description:
      'The forwarder posts each alert to the Slack-compatible webhook URLs in this secret (one URL, several separated by commas, or a JSON array).',
  },

  // Alerting.
  maxRules: {
    where: 'function',
    kind: 'int',
    env: 'VIGIL_MAX_RULES',
    default: 1_000,
    min: 1,
    max: 10_000,
    description: 'Most alert rules (API and config file together); a new rule past it is refused (409).',
  },
  maxSilences: {
    where: 'function',
    kind: 'int',
    env: 'VIGIL_MAX_SILENCES',
    default: 500,
    min: 1,
    max: 10_000,
    description: 'Most silences that have not ended; a new one past it is refused (409).',
  },

  // Deployment verification.
  verifyMaxRunning: {
    where: 'function',
    kind: 'int',
    env: 'VIGIL_VERIFY_MAX_RUNNING',
    context: 'verifyMaxRunning',
    default: 20,
    min: 1,
    max: 1000,
    description:
      'Most verifications of one service running at once; a new one past it is refused (409) until one ends or is aborted.',
  },
  verifyMinIntervalSeconds: {
    where: 'function',
    kind: 'int',
    env: 'VIGIL_VERIFY_MIN_INTERVAL_SECONDS',
    context: 'verifyMinIntervalSeconds',
    default: 10,
    min: 1,
    max: 900,
    description:
      'Smallest wait between two steps of a verification (canary `intervalSeconds`, health probes, retries); small in local mode and tests.',
  },
  verifyWebhookSecret: {
    where: 'function',
    kind: 'text',
    env: 'VIGIL_VERIFY_WEBHOOK_SECRET',
    context: 'verifyWebhookSecret',
    minLength: 16,
    description:
      'Key of the HMAC that signs rollback webhooks (`X-Vigil-Signature`): a Secrets Manager ARN or SSM parameter (read at run time, granted at deploy), or the value itself (local mode). Unset: verifications with a webhook are refused.',
  },
  verifyRetentionDays: days(
    'VIGIL_VERIFY_RETENTION_DAYS',
    'verifyRetentionDays',
    90,
    'How long verification records are kept after their last change.',
  ),
  verifyQueueUrl: {
    where: 'function',
    kind: 'url',
    env: 'VIGIL_VERIFY_QUEUE_URL',
    description:
      'Set by the service stack: the SQS queue of verification steps; absent in local mode (an in-process queue).',
  },

  // Deploy only.
  configFile: {
    where: 'deploy',
    kind: 'text',
    context: 'configFile',
    default: 'vigil.config.json',
    pattern: /^.+$/,
    rule: 'must not be empty',
    description: 'Targets as code, relative to the project root; applied at deploy when the file exists.',
  },
  alertEmail: {
    where: 'deploy',
    kind: 'email',
    context: 'alertEmail',
    description: "Subscribed to the critical topic (Vigil's own alarms).",
  },
  alertHttpsEndpoints: {
    where: 'deploy',
    kind: 'url',
    list: true,
    context: 'alertHttpsEndpoints',
    description: 'Comma-separated HTTPS URLs subscribed to the critical, warning, info and escalation topics.',
  },
  logRetentionDays: {
    where: 'deploy',
    kind: 'int',
    context: 'logRetentionDays',
    default: 30,
    min: 1,
    max: 3_653,
    oneOf: LOG_RETENTION_DAYS,
    description: "CloudWatch Logs retention of Vigil's functions and API access logs.",
  },
  ingestReservedConcurrency: {
    where: 'deploy',
    kind: 'int',
    context: 'ingestReservedConcurrency',
    default: 50,
    min: 0,
    max: 10_000,
    description:
      'Reserved concurrency of the ingest function: a flood of telemetry is throttled (429) at this many concurrent batches instead of taking the capacity the prober and the evaluator need. 0: no reservation (accounts whose concurrency limit is 10 need it).',
  },
  probeReservedConcurrency: {
    where: 'deploy',
    kind: 'int',
    context: 'probeReservedConcurrency',
    default: 10,
    min: 0,
    max: 10_000,
    description:
      'Reserved concurrency of the probe function (its run and fan-out batches; throttled batches are retried by Lambda). 0: no reservation.',
  },
  apiThrottleRate: {
    where: 'deploy',
    kind: 'int',
    context: 'apiThrottleRate',
    default: 500,
    min: 1,
    max: 10_000,
    description: 'Steady requests per second the public HTTP API accepts (all routes together) before answering 429.',
  },
  apiThrottleBurst: {
    where: 'deploy',
    kind: 'int',
    context: 'apiThrottleBurst',
    default: 1_000,
    min: 1,
    max: 5_000,
    description: 'Burst of requests the public HTTP API accepts above the steady rate.',
  },

  // Local mode only.
  port: {
    where: 'local',
    kind: 'int',
    env: 'VIGIL_PORT',
    default: 4318,
    min: 0,
    max: 65_535,
    description: 'Port of the local API and dashboard (0: any free port).',
  },
  host: { where: 'local', kind: 'text', env: 'VIGIL_HOST', default: '127.0.0.1', description: 'Address to listen on.' },
  dataDir: {
    where: 'local',
    kind: 'text',
    env: 'VIGIL_DATA_DIR',
    default: '.vigil',
    description: 'Where local mode keeps its data (mode 0700) and its admin token.',
  },
  adminToken: {
    where: 'local',
    kind: 'text',
    env: 'VIGIL_ADMIN_TOKEN',
    minLength: 32,
    description: 'Admin token to install; unset: one is generated and saved in the data directory.',
  },
  probeInterval: {
    where: 'local',
    kind: 'int',
    env: 'VIGIL_PROBE_INTERVAL',
    default: 60,
    min: 1,
    max: 86_400,
    description: 'Seconds between probe runs (EventBridge runs it every 60 s in AWS).',
  },
  evalInterval: {
    where: 'local',
    kind: 'int',
    env: 'VIGIL_EVAL_INTERVAL',
    default: 60,
    min: 1,
    max: 86_400,
    description: 'Seconds between alert evaluations (EventBridge runs the evaluator every 60 s in AWS).',
  },
  localLogLevel: {
    where: 'local',
    kind: 'choice',
    env: 'VIGIL_LOG_LEVEL',
    values: LOG_LEVELS,
    default: 'WARN',
    description: "Level of the functions' logs in local mode (one line per request is always printed).",
  },
  localConfig: {
    where: 'local',
    kind: 'text',
    env: 'VIGIL_CONFIG',
    default: './vigil.config.json',
    pattern: /^.+$/,
    rule: 'must not be empty',
    description: 'Targets as code: applied at start when the file exists.',
  },

  // Paging.
  cursorKey: {
    where: 'function',
    kind: 'text',
    env: 'VIGIL_CURSOR_KEY',
    minLength: 32,
    description:
      'Key that signs paging cursors (HMAC-SHA256); the service stack sets it from a generated secret. Unset: each instance draws one at start.',
  },
} as const satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof SETTINGS;

export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

export type PlatformSettingName = {
  [K in SettingName]: (typeof SETTINGS)[K]['where'] extends 'platform' ? K : never;
}[SettingName];

/** The settings every function reads. */
export const PLATFORM_SETTINGS = SETTING_NAMES.filter((n) => SETTINGS[n].where === 'platform') as PlatformSettingName[];
