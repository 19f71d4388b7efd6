/**
 * Key layout of the telemetry table, shared by its writer and reader (see `lib/tables.ts` for the list).
 * Times in sort keys are `timeKey` (zero-padded epoch ms) so that string order is time order.
 */
import { timeKey } from './time-key.js';

export const pad = timeKey;
export const HOUR_MS = 3_600_000;
export const hourOf = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;

export const keys = {
  rollup: (service: string, seriesId: string, stepStart: number) => ({
    pk: `M#${service}#${seriesId}`,
    sk: pad(stepStart),
  }),
  rollupPk: (service: string, seriesId: string) => `M#${service}#${seriesId}`,
  registryPk: (service: string) => `S#${service}`,
  registrySk: (name: string, seriesId: string) => `${name}#${seriesId}`,
  /** Sorts before every metric name (names start with a letter or _). */
  seriesCount: (service: string) => ({ pk: `S#${service}`, sk: '#count' }),
  logPk: (service: string, hourStart: number) => `L#${service}#${pad(hourStart)}`,
  logSk: (ts: number, id: string) => `${pad(ts)}#${id}`,
  logsByTrace: (traceId: string) => `LT#${traceId}`,
  tracePk: (traceId: string) => `T#${traceId}`,
  traceSummaryPk: (service: string) => `TS#${service}`,
  errorGroupPk: (service: string) => `E#${service}`,
  errorEventPk: (service: string, fingerprint: string) => `EV#${service}#${fingerprint}`,
  services: () => 'SVC',
  /** The last point of a cumulative OTLP stream (`functions/core/telemetry/otlp-streams.ts`). */
  cumulativeStream: (service: string, streamId: string) => ({ pk: `CS#${service}#${streamId}`, sk: '#' }),
} as const;

/** Rollup attribute names: count, sum, min, max, and one attribute per sketch bucket (`p-12` → `bpm12`). */
export const ROLLUP = { count: 'c', sum: 's', min: 'mn', max: 'mx' } as const;
export const bucketAttribute = (key: string) => `b${key.replace('-', 'm')}`;
export const bucketKeyOfAttribute = (attr: string) => attr.slice(1).replace('m', '-');
export const isBucketAttribute = (attr: string) => /^b(z|[pn]m?\d+)$/.test(attr);

/** Service summaries (`service-summary.ts`): one partition per hour and shard, one item per step and service. */
export const SUMMARY_SHARDS = 4;
export const summaryKeys = {
  pk: (hourStart: number, shard: number) => `SS#${pad(hourStart)}#${shard}`,
  sk: (stepStart: number, service: string) => `${pad(stepStart)}#${service}`,
  /** The service's shard: a stable hash of its name. */
  shard: (service: string) => {
    let h = 0;
    for (let i = 0; i < service.length; i++) h = (h * 31 + service.charCodeAt(i)) >>> 0;
    return h % SUMMARY_SHARDS;
  },
  /** The service registry's count of services (for VIGIL_MAX_SERVICES). */
  servicesCount: { pk: 'SVCN', sk: '#count' },
} as const;
