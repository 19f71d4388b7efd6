import * as v from 'valibot';

/**
 * Deployment settings from `cdk.json` context (or `-c key=value`), validated at synth with an error that
 * names the setting.
 */
const days = (fallback: number) =>
  v.pipe(
    v.optional(v.union([v.number(), v.string()]), fallback),
    v.transform(Number),
    v.number(),
    v.integer('must be a whole number of days'),
    v.minValue(1),
    v.maxValue(3650),
  );

const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const settingsSchema = v.object({
  stage: v.pipe(
    v.optional(v.string(), 'dev'),
    v.regex(/^[a-z][a-z0-9-]{0,19}$/, 'must be lower-case letters, digits, dashes'),
  ),
  /** Targets as code, relative to the project root; applied at deploy when the file exists. */
  configFile: v.optional(v.pipe(v.string(), v.minLength(1)), 'vigil.config.json'),
  alertEmail: v.optional(v.union([v.literal(''), v.pipe(v.string(), v.email('must be an e-mail address'))]), ''),
  /** CloudWatch Logs retention for Vigil's own functions and API access logs (a value CloudWatch Logs accepts). */
  logRetentionDays: v.pipe(
    v.optional(v.union([v.number(), v.string()]), 30),
    v.transform(Number),
    v.picklist(LOG_RETENTION_DAYS, `must be one of ${LOG_RETENTION_DAYS.join(', ')}`),
  ),
  /** Retention of metric rollups (`VIGIL_RETENTION_METRICS_DAYS`). */
  metricsRetentionDays: days(30),
  /** Retention of ingested logs (`VIGIL_RETENTION_LOGS_DAYS`). */
  logsRetentionDays: days(7),
  /** Retention of ingested spans (`VIGIL_RETENTION_SPANS_DAYS`). */
  spansRetentionDays: days(7),
  /** Retention of error groups (`VIGIL_RETENTION_ERRORS_DAYS`). */
  errorsRetentionDays: days(30),
  /** Retention of probe history (`VIGIL_PROBE_RETENTION_DAYS`; uptime needs 30 days). */
  probeRetentionDays: v.pipe(days(35), v.maxValue(400)),
  /** Retention of the notification log (`VIGIL_NOTIFICATION_RETENTION_DAYS`). */
  notificationRetentionDays: days(30),
  /**
   * Probe targets (and other fetched URLs) may be private or loopback addresses (`VIGIL_ALLOW_PRIVATE_TARGETS`).
   * Link-local and metadata addresses are refused either way. See docs/OPERATIONS.md.
   */
  allowPrivateTargets: v.pipe(
    v.optional(v.union([v.boolean(), v.picklist(['true', 'false'])], 'must be true or false'), false),
    v.transform((b) => b === true || b === 'true'),
  ),
  /** Metric rollup resolution in seconds (`VIGIL_ROLLUP_STEP_SECONDS`; 10–3600, dividing an hour). */
  rollupStepSeconds: v.pipe(
    v.optional(v.union([v.number(), v.string()]), 60),
    v.transform(Number),
    v.number(),
    v.integer(),
    v.minValue(10),
    v.maxValue(3600),
    v.check((n) => 3600 % n === 0, 'must divide an hour (10, 15, 20, 30, 60, … seconds)'),
  ),
});

export type DeploySettings = v.InferOutput<typeof settingsSchema>;

export function deploySettings(context: (key: string) => unknown): DeploySettings {
  const raw = Object.fromEntries(
    Object.keys(settingsSchema.entries)
      .map((k) => [k, context(k)])
      .filter(([, value]) => value !== undefined),
  );
  const result = v.safeParse(settingsSchema, raw);
  if (result.success) return result.output;
  throw new Error(
    `invalid cdk context: ${result.issues.map((i) => `${v.getDotPath(i)}: ${i.message} (got ${JSON.stringify(i.input)})`).join('; ')}`,
  );
}

export const isProduction = (s: DeploySettings) => s.stage === 'prod';

/** The settings every function receives as environment, from the deployment settings. */
export function functionEnvironment(s: DeploySettings): Record<string, string> {
  return {
    VIGIL_STAGE: s.stage,
    VIGIL_NOTIFIER: 'sns',
    VIGIL_RETENTION_METRICS_DAYS: String(s.metricsRetentionDays),
    VIGIL_RETENTION_LOGS_DAYS: String(s.logsRetentionDays),
    VIGIL_RETENTION_SPANS_DAYS: String(s.spansRetentionDays),
    VIGIL_RETENTION_ERRORS_DAYS: String(s.errorsRetentionDays),
    VIGIL_PROBE_RETENTION_DAYS: String(s.probeRetentionDays),
    VIGIL_NOTIFICATION_RETENTION_DAYS: String(s.notificationRetentionDays),
    VIGIL_ROLLUP_STEP_SECONDS: String(s.rollupStepSeconds),
    VIGIL_ALLOW_PRIVATE_TARGETS: String(s.allowPrivateTargets),
  };
}
