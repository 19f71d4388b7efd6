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
  alertEmail: v.optional(v.union([v.literal(''), v.pipe(v.string(), v.email('must be an e-mail address'))]), ''),
  /** CloudWatch Logs retention for Vigil's own functions and API access logs (a value CloudWatch Logs accepts). */
  logRetentionDays: v.pipe(
    v.optional(v.union([v.number(), v.string()]), 30),
    v.transform(Number),
    v.picklist(LOG_RETENTION_DAYS, `must be one of ${LOG_RETENTION_DAYS.join(', ')}`),
  ),
  /** Retention of ingested logs, spans and error events. */
  telemetryRetentionDays: days(14),
  /** Retention of probe history, alert history and verifications. */
  historyRetentionDays: days(90),
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
