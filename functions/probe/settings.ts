import * as v from 'valibot';
import { intSetting } from '../platform/config.js';

/** Prober settings (environment), validated at cold start; shared with the targets function (retention). */
export const probeSettingsSchema = v.object({
  /**
   * Probes in flight at once within one invocation. At least the batch size, so every probe of a batch
   * starts at once and an invocation lasts at most the longest timeout plus storing (Lambda allows 1,024
   * open files; this leaves room for the DynamoDB client's sockets).
   */
  VIGIL_PROBE_CONCURRENCY: intSetting(200, 1, 800),
  /** Due targets one invocation probes itself; the rest fan out to asynchronous self-invocations. */
  VIGIL_PROBE_BATCH_SIZE: intSetting(200, 1, 5_000),
  /** How long history, hourly rollups and transition events are kept (30-day uptime needs 31). */
  VIGIL_PROBE_RETENTION_DAYS: intSetting(35, 1, 400),
  /** The most of a response body a probe reads. */
  VIGIL_PROBE_MAX_BODY_BYTES: intSetting(65_536, 1_024, 10_485_760),
  /**
   * Private ranges (RFC 1918, carrier-grade NAT, unique-local IPv6) and loopback may be probed. Off by default
   * in AWS (CDK context `allowPrivateTargets`); local mode turns it on. Link-local and metadata addresses are
   * refused either way (functions/core/url-policy.ts).
   */
  VIGIL_ALLOW_PRIVATE_TARGETS: v.pipe(
    v.optional(v.picklist(['true', 'false'], 'must be true or false'), 'false'),
    v.transform((s) => s === 'true'),
  ),
  /** Set by the CDK service stack when the function may invoke itself; absent in local mode. */
  VIGIL_SELF_FUNCTION_NAME: v.optional(v.pipe(v.string(), v.minLength(1))),
});

export type ProbeSettings = v.InferOutput<typeof probeSettingsSchema>;

/** The URL policy these settings give (probe targets and every other URL fetched on a user's behalf). */
export const urlPolicyOf = (s: Pick<ProbeSettings, 'VIGIL_ALLOW_PRIVATE_TARGETS'>) =>
  ({ allowPrivate: s.VIGIL_ALLOW_PRIVATE_TARGETS }) as const;
