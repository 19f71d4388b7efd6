import type { ParseArgsConfig } from 'node:util';

/** `vigil verify`'s flags (node:util parseArgs); the help text in `verify-help.ts` lists the same ones. */
export const VERIFY_FLAGS = {
  help: { type: 'boolean', short: 'h' },
  config: { type: 'string', short: 'c' },
  endpoint: { type: 'string' },
  service: { type: 'string' },
  environment: { type: 'string' },
  version: { type: 'string' },
  'deploy-url': { type: 'string' },
  wait: { type: 'boolean' },
  strict: { type: 'boolean' },
  timeout: { type: 'string' },
  'poll-interval': { type: 'string' },
  'max-poll-interval': { type: 'string' },
  format: { type: 'string' },
  summary: { type: 'string' },
  'rollback-command': { type: 'string' },

  health: { type: 'boolean' },
  'health-path': { type: 'string' },
  'consecutive-passes': { type: 'string' },
  'health-timeout': { type: 'string' },
  'health-interval': { type: 'string' },

  metrics: { type: 'string' },
  'metrics-within': { type: 'string' },

  performance: { type: 'boolean' },
  'performance-metric': { type: 'string' },
  'max-p95-ms': { type: 'string' },
  'max-p99-ms': { type: 'string' },
  'max-regression-pct': { type: 'string' },
  'max-error-rate': { type: 'string' },
  'performance-window': { type: 'string' },

  'canary-baseline': { type: 'string' },
  'canary-metrics': { type: 'string' },
  'canary-interval': { type: 'string' },
  'canary-duration': { type: 'string' },
  'canary-max-duration': { type: 'string' },
  'pass-score': { type: 'string' },
  'marginal-score': { type: 'string' },

  slo: { type: 'string' },
  'new-errors': { type: 'boolean' },
  'new-errors-critical': { type: 'boolean' },

  'rollback-webhook': { type: 'string' },
  'rollback-on': { type: 'string' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export type VerifyValues = {
  -readonly [K in keyof typeof VERIFY_FLAGS]?: (typeof VERIFY_FLAGS)[K]['type'] extends 'boolean' ? boolean : string;
};
