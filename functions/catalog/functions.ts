import type { QueueName } from './queues.js';
import type { SettingName } from './settings.js';
import type { TableName } from './tables.js';
import type { TopicName } from './topics.js';

/**
 * Every Lambda function: its entry, the tables and topics it may touch, the settings it reads, and its
 * schedule. The CDK service stack grants exactly these (and nothing else) and sets the environment from
 * them (`environment.ts`); local mode calls each entry's `createHandler` with the same environment.
 */
export type Access = 'read' | 'readwrite';

export interface FunctionSpec {
  readonly entry: string;
  readonly description: string;
  readonly tables: Partial<Record<TableName, Access>>;
  readonly topics?: readonly TopicName[];
  /** SQS queues it may send to (`queues.ts`). */
  readonly queues?: readonly QueueName[];
  /** Settings it reads besides the platform ones (`settings.ts`, `where: 'platform'`). */
  readonly settings: readonly SettingName[];
  /** Invoked on a schedule (EventBridge in AWS, a timer locally). */
  readonly schedule?: {
    readonly everySeconds: number;
    /** Local mode reads the interval from this setting (seconds). */
    readonly localInterval?: SettingName;
  };
  /** May invoke itself asynchronously (fan-out of scheduled work). */
  readonly selfInvoke?: boolean;
  /** Run by a CloudFormation custom resource at deploy time instead of by the API or a schedule. */
  readonly deployHook?: boolean;
  /** The verification step queue (SQS in AWS, in-process locally): `send` to it, or `consume` it. */
  readonly verificationSteps?: 'send' | 'consume';
  /** @default 512 */
  readonly memoryMb?: number;
  /** @default 10 */
  readonly timeoutSeconds?: number;
  /**
   * Invoked asynchronously by another function or service (besides `schedule` and `selfInvoke`, which are
   * asynchronous too): it gets a dead-letter queue and its alarm (lib/dead-letters.ts). @default false
   */
  readonly asyncInvoked?: boolean;
  /** The deploy setting that gives its reserved concurrency (lib/capacity.ts; 0 = none). @default - none */
  readonly reservedConcurrency?: SettingName;
  /** Reads CloudWatch metrics with GetMetricData (rules and checks with `"source": "cloudwatch"`). @default false */
  readonly readsCloudWatchMetrics?: boolean;
}

export const FUNCTIONS = {
  health: {
    entry: 'functions/health/handler.ts',
    description: "Vigil's own health (application/health+json)",
    tables: { tokens: 'read' },
    settings: [],
  },
  tokens: {
    entry: 'functions/tokens/handler.ts',
    description: 'Mint, list and revoke API tokens',
    tables: { tokens: 'readwrite' },
    settings: [],
  },
  notifications: {
    entry: 'functions/notifications/handler.ts',
    description: 'Notification log: what was sent to which topic',
    tables: { tokens: 'read', alerts: 'read' },
    settings: ['cursorKey'],
  },
  bootstrap: {
    entry: 'functions/bootstrap/handler.ts',
    description:
      'Deploy-time bootstrap: installs the admin token from Secrets Manager, applies vigil.config.json (targets, rules)',
    tables: { tokens: 'readwrite', probes: 'readwrite', alerts: 'readwrite' },
    settings: ['allowPrivateTargets', 'maxRules'],
    deployHook: true,
    timeoutSeconds: 60,
  },
  targets: {
    entry: 'functions/targets/handler.ts',
    description: 'Probe targets: create, list, delete; status, history, uptime and transition events',
    tables: { tokens: 'read', probes: 'readwrite' },
    settings: ['probeRetentionDays', 'allowPrivateTargets', 'cursorKey'],
  },
  probe: {
    entry: 'functions/probe/handler.ts',
    description: 'Probes the due targets (fanning out past one batch) and records status, history and transitions',
    tables: { probes: 'readwrite' },
    settings: [
      'probeConcurrency',
      'probeBatchSize',
      'probeRetentionDays',
      'probeMaxBodyBytes',
      'selfFunctionName',
      'allowPrivateTargets',
    ],
    schedule: { everySeconds: 60, localInterval: 'probeInterval' },
    selfInvoke: true,
    // Longest probe timeout (30 s) plus storing the batch, and below the 60 s schedule so runs never overlap.
    timeoutSeconds: 50,
    reservedConcurrency: 'probeReservedConcurrency',
  },
  ingest: {
    entry: 'functions/ingest/handler.ts',
    description: 'Telemetry ingestion: native batches and OTLP/HTTP JSON; rollups, logs, spans, error groups',
    tables: { tokens: 'read', telemetry: 'readwrite', idempotency: 'readwrite' },
    settings: [
      'rollupStepSeconds',
      'metricsRetentionDays',
      'logsRetentionDays',
      'spansRetentionDays',
      'errorsRetentionDays',
      'maxSeriesPerService',
      'ingestMaxBodyBytes',
      'ingestMaxItems',
      'ingestMaxAgeHours',
      'ingestMaxFutureMinutes',
      'idempotencyTtlSeconds',
      'ingestMaxResources',
      'maxServices',
    ],
    memoryMb: 1024,
    // A 10,000-item batch against a cold table stays well inside this; API Gateway gives up at 30 s.
    timeoutSeconds: 29,
    reservedConcurrency: 'ingestReservedConcurrency',
  },
  query: {
    entry: 'functions/query/handler.ts',
    description: 'Telemetry queries: metric series, logs, traces, error groups, services, dependency map',
    tables: { tokens: 'read', telemetry: 'read' },
    settings: ['rollupStepSeconds', 'cursorKey'],
    memoryMb: 1024,
    timeoutSeconds: 29,
  },
  dashboard: {
    entry: 'functions/dashboard/handler.ts',
    description: 'Dashboard static files, and problem+json answers for unknown routes',
    tables: {},
    settings: [],
  },
  evaluator: {
    entry: 'functions/evaluator/handler.ts',
    description: 'Evaluates the alert rules: alert state, notification pipeline, outbox, delivery over SNS',
    tables: { alerts: 'readwrite', telemetry: 'read', probes: 'read', deployments: 'read' },
    topics: ['critical', 'warning', 'info', 'escalation'],
    queues: ['deadLetters'],
    settings: [
      'notifier',
      'webhooks',
      'notificationRetentionDays',
      'rollupStepSeconds',
      'resolvedThroughSilence',
      'dashboardUrl',
    ],
    schedule: { everySeconds: 60, localInterval: 'evalInterval' },
    readsCloudWatchMetrics: true,
    // Below the 60 s schedule, so that two scheduled runs rarely overlap (the versioned writes make it safe when they do).
    timeoutSeconds: 50,
    memoryMb: 1024,
  },
  rules: {
    entry: 'functions/rules/handler.ts',
    description: 'Alert rules: create, list, delete, with their last evaluation; SLO error budgets',
    tables: { tokens: 'read', alerts: 'readwrite', telemetry: 'read', probes: 'read' },
    settings: ['maxRules', 'rollupStepSeconds'],
    readsCloudWatchMetrics: true,
  },
  forwarder: {
    entry: 'functions/forwarder/handler.ts',
    description:
      'Subscribed to the alert topics: posts each notification to Slack-compatible webhooks (URLs in Secrets Manager)',
    tables: {},
    settings: ['slackWebhooksSecret', 'allowPrivateTargets'],
    // SNS invokes it asynchronously: a notification still failing after Lambda's retries lands in its queue.
    asyncInvoked: true,
    timeoutSeconds: 30,
  },
  alerts: {
    entry: 'functions/alerts/handler.ts',
    description: 'Alerts and silences, by people: list, inspect, acknowledge, resolve; create and expire silences',
    tables: { tokens: 'read', alerts: 'readwrite' },
    settings: ['maxSilences', 'notificationRetentionDays'],
  },
  verify: {
    entry: 'functions/verify/handler.ts',
    description: 'Deployment verification API: start, read, list and abort verifications',
    tables: { tokens: 'read', deployments: 'readwrite' },
    settings: [
      'verifyMinIntervalSeconds',
      'verifyWebhookSecret',
      'verifyRetentionDays',
      'verifyQueueUrl',
      'cursorKey',
      'verifyMaxRunning',
    ],
    verificationSteps: 'send',
  },
  verifyWorker: {
    entry: 'functions/verify-worker/handler.ts',
    description: 'Runs verification steps from the step queue: checks, verdict, deployments topic, rollback webhook',
    tables: { deployments: 'readwrite', telemetry: 'read', alerts: 'readwrite', probes: 'read' },
    topics: ['deployments'],
    settings: [
      'verifyMinIntervalSeconds',
      'verifyWebhookSecret',
      'verifyRetentionDays',
      'verifyQueueUrl',
      'rollupStepSeconds',
      'allowPrivateTargets',
      'notifier',
      'webhooks',
      'notificationRetentionDays',
    ],
    verificationSteps: 'consume',
    readsCloudWatchMetrics: true,
    // A step: one health probe (at most 30 s), the canary's reads, the webhook (10 s).
    timeoutSeconds: 60,
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof FUNCTIONS;

export const FUNCTION_NAMES = Object.keys(FUNCTIONS) as FunctionName[];
