import type { TableName } from './tables.js';
import type { TopicName } from './topics.js';

/**
 * Every Lambda function: its entry, the tables and topics it may touch, and its schedule. The CDK service
 * stack grants exactly these (and nothing else); local mode imports the same entries.
 */
export type Access = 'read' | 'readwrite';

export interface FunctionSpec {
  readonly entry: string;
  readonly description: string;
  readonly tables: Partial<Record<TableName, Access>>;
  readonly topics?: readonly TopicName[];
  /** Invoked on a schedule (EventBridge in AWS, a timer locally). */
  readonly schedule?: {
    readonly everySeconds: number;
    /** Local mode reads the interval from this setting (seconds). */
    readonly localIntervalEnv?: string;
  };
  /** May invoke itself asynchronously (fan-out of scheduled work). */
  readonly selfInvoke?: boolean;
  /** Extra environment for this function (non-secret). */
  readonly environment?: Readonly<Record<string, string>>;
  /** Run by a CloudFormation custom resource at deploy time instead of by the API or a schedule. */
  readonly deployHook?: boolean;
  /** @default 512 */
  readonly memoryMb?: number;
  /** @default 10 */
  readonly timeoutSeconds?: number;
}

export const FUNCTIONS = {
  health: {
    entry: 'functions/health/handler.ts',
    description: "Vigil's own health (application/health+json)",
    tables: { tokens: 'read' },
  },
  tokens: {
    entry: 'functions/tokens/handler.ts',
    description: 'Mint, list and revoke API tokens',
    tables: { tokens: 'readwrite' },
  },
  notifications: {
    entry: 'functions/notifications/handler.ts',
    description: 'Notification log: what was sent to which topic',
    tables: { tokens: 'read', alerts: 'read' },
  },
  bootstrap: {
    entry: 'functions/bootstrap/handler.ts',
    description: 'Deploy-time bootstrap: installs the admin token from Secrets Manager',
    tables: { tokens: 'readwrite' },
    deployHook: true,
    timeoutSeconds: 60,
  },
  dashboard: {
    entry: 'functions/dashboard/handler.ts',
    description: 'Dashboard static files, and problem+json answers for unknown routes',
    tables: {},
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof FUNCTIONS;

export const FUNCTION_NAMES = Object.keys(FUNCTIONS) as FunctionName[];
