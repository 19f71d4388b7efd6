import * as v from 'valibot';
import { intSetting } from '../platform/config.js';

/** Prober settings (environment), validated at cold start; shared with the targets function (retention). */
export const probeSettingsSchema = v.object({
  /** Probes in flight at once within one invocation. */
  VIGIL_PROBE_CONCURRENCY: intSetting(100, 1, 1_000),
  /** Due targets one invocation probes itself; the rest fan out to asynchronous self-invocations. */
  VIGIL_PROBE_BATCH_SIZE: intSetting(500, 1, 5_000),
  /** How long history, hourly rollups and transition events are kept (30-day uptime needs 31). */
  VIGIL_PROBE_RETENTION_DAYS: intSetting(35, 1, 400),
  /** The most of a response body a probe reads. */
  VIGIL_PROBE_MAX_BODY_BYTES: intSetting(65_536, 1_024, 10_485_760),
  /** Set by the CDK service stack when the function may invoke itself; absent in local mode. */
  VIGIL_SELF_FUNCTION_NAME: v.optional(v.pipe(v.string(), v.minLength(1))),
});

export type ProbeSettings = v.InferOutput<typeof probeSettingsSchema>;
