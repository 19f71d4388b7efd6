import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DomainError, PayloadTooLargeError, ServiceUnavailableError } from '../core/errors.js';
import { type IngestResult, ingest } from '../core/telemetry/ingest.js';
import type { IngestLimits } from '../core/telemetry/limits.js';
import { type Contribution, type Counts, KINDS, type Rejection, zeroCounts } from '../core/telemetry/model.js';
import type { NativeBatch } from '../core/telemetry/otlp-common.js';
import { mapOtlpLogs } from '../core/telemetry/otlp-logs.js';
import { mapOtlpMetrics } from '../core/telemetry/otlp-metrics.js';
import {
  cumulativePoints,
  dataPointCount,
  resolveStreams,
  type StreamState,
  type StreamStore,
} from '../core/telemetry/otlp-streams.js';
import { mapOtlpTraces } from '../core/telemetry/otlp-traces.js';
import type { TelemetryWriter } from '../core/telemetry/ports.js';
import {
  type Refusal,
  type RefusalStore,
  refusalLogGate,
  refusalReason,
  tallyRefusals,
} from '../core/telemetry/refusals.js';
import { itemCount, validateBatch } from '../core/telemetry/validate-batch.js';
import { partBatchId, type WriteScope } from '../core/telemetry/write-scope.js';

/**
 * What the ingest routes do once the HTTP details are settled: the native format answers 202 with accepted
 * counts and rejections by path; OTLP answers 200 with `partialSuccess`. Both count accepted and rejected
 * items by kind in Vigil's own metrics (EMF).
 */
export interface IngestServiceDeps {
  readonly writer: TelemetryWriter;
  readonly limits: IngestLimits;
  readonly clock: () => number;
  readonly metrics?: Metrics;
  /** Last points of cumulative OTLP streams; without it cumulative sums and histograms are refused. */
  readonly streams?: StreamStore;
  /** Where refused items are counted per service and reason (`GET /v1/services/{service}/refused`). */
  readonly refusals?: RefusalStore;
  /** One line per service and reason per minute (a warning: data is being refused). */
  readonly warn?: (message: string, fields: Record<string, unknown>) => void;
}

/** A stream's state outlives its last point by the ingest window plus a day (see docs/OTLP.md). */
const STREAM_TTL_EXTRA_MS = 86_400_000;

export type OtlpSignal = 'traces' | 'logs' | 'metrics';

/** What the handler settles about one request before its batch is ingested. */
export interface IngestRequest {
  /** The request's batch id (`requestBatchId`): the same on every retry of the request. */
  readonly batchId: string;
  /** Epoch ms (on the service's clock) past which no write is started. */
  readonly deadline: number;
  /** A resend of the request maps to the same batch id (Idempotency-Key, or OTLP's body). */
  readonly retrySafe: boolean;
}

const RESOURCE_LIST = { traces: 'resourceSpans', logs: 'resourceLogs', metrics: 'resourceMetrics' } as const;

const CAP = (s: string) => s[0]!.toUpperCase() + s.slice(1);

export function ingestService(deps: IngestServiceDeps) {
  const streamCache = new Map<string, StreamState>();
  const logGate = refusalLogGate();

  /** Counts (and, once a minute per service and reason, logs) what a request refused; never fails the request. */
  const report = async (listed: Refusal[], totals: Map<string, number>) => {
    if (!listed.length && ![...totals.values()].some(Boolean)) return;
    const now = deps.clock();
    const tallies = tallyRefusals(listed, totals);
    for (const t of tallies) {
      deps.metrics?.addMetric(`Refused.${t.code}`, MetricUnit.Count, t.count);
      if (deps.warn && logGate(t.service, t.code, now)) {
        deps.warn('telemetry refused', {
          service: t.service,
          reason: refusalReason(t.code),
          count: t.count,
          example: t.example,
        });
      }
    }
    try {
      await deps.refusals?.add(tallies, now);
    } catch (error) {
      deps.warn?.('refusal counts not stored', { error: (error as Error).message });
    }
  };
  const tally = (totals: Map<string, number>, service: string, n: number) =>
    n && totals.set(service, (totals.get(service) ?? 0) + n);
  const record = (accepted: Counts, rejected: Counts, derivedSeriesRejected = 0) => {
    if (!deps.metrics) return;
    for (const kind of KINDS) {
      if (accepted[kind]) deps.metrics.addMetric(`Accepted${CAP(kind)}`, MetricUnit.Count, accepted[kind]);
      if (rejected[kind]) deps.metrics.addMetric(`Rejected${CAP(kind)}`, MetricUnit.Count, rejected[kind]);
    }
    if (derivedSeriesRejected) deps.metrics.addMetric('DerivedSeriesRejected', MetricUnit.Count, derivedSeriesRejected);
  };

  const scopeOf = (request: IngestRequest, part: number): WriteScope => ({
    batchId: partBatchId(request.batchId, part),
    remainingMs: () => request.deadline - deps.clock(),
  });

  const run = async (
    body: unknown,
    refuseEmpty: boolean,
    scope: WriteScope,
    contributions?: ReadonlyMap<number, Contribution>,
  ) => {
    const now = deps.clock();
    const validated = validateBatch(body, { now, limits: deps.limits, ...(contributions ? { contributions } : {}) });
    return ingest(validated, { writer: deps.writer, limits: deps.limits, now, scope, refuseEmpty });
  };

  return {
    async native(body: unknown, request: IngestRequest): Promise<Record<string, unknown>> {
      let result: IngestResult;
      try {
        result = await run(body, true, scopeOf(request, 0));
      } catch (error) {
        if (error instanceof DomainError && !error.retryable) record(zeroCounts(), { ...zeroCounts(), metrics: 1 });
        if (error instanceof ServiceUnavailableError && !request.retrySafe) {
          throw new ServiceUnavailableError(
            `${error.message}. This request had no Idempotency-Key: sending it again stores again what \`stored\` counts; send an Idempotency-Key with every batch to make resends exact`,
            error.retryAfterSeconds,
            error.extensions,
          );
        }
        throw error;
      }
      record(result.accepted, result.rejectedCounts, result.derivedSeriesRejected);
      const service = (body as { service: string }).service;
      const refusedTotal = KINDS.reduce((n, k) => n + result.rejectedCounts[k], 0);
      await report(
        result.rejected.map((r) => ({ service, path: r.path, reason: r.reason })),
        new Map([[service, refusedTotal]]),
      );
      return {
        accepted: result.accepted,
        rejected: result.rejected,
        rejectedCounts: result.rejectedCounts,
        ...(result.derivedSeriesRejected ? { derivedSeriesRejected: result.derivedSeriesRejected } : {}),
      };
    },

    async otlp(signal: OtlpSignal, body: unknown, request: IngestRequest): Promise<Record<string, unknown>> {
      const resources = (body as Record<string, unknown> | null)?.[RESOURCE_LIST[signal]];
      if (Array.isArray(resources) && resources.length > deps.limits.maxResources) {
        throw new PayloadTooLargeError(
          `the request holds ${resources.length} resources; at most ${deps.limits.maxResources} per request (VIGIL_INGEST_MAX_RESOURCES): split it`,
        );
      }
      const batches: { batch: NativeBatch; contributions?: Map<number, Contribution>; paths?: string[] }[] = [];
      const reasons = new Set<string>();
      const listed: Refusal[] = [];
      const totals = new Map<string, number>();
      let refusedAtMapping = 0;
      if (signal === 'traces') batches.push(...mapOtlpTraces(body).map((batch) => ({ batch })));
      else if (signal === 'logs') batches.push(...mapOtlpLogs(body).map((batch) => ({ batch })));
      else {
        // Stream state is written before the rest is stored: a request over the item limit must be refused first.
        const points = dataPointCount(body);
        if (points > deps.limits.maxBatchItems) {
          throw new PayloadTooLargeError(
            `the request holds ${points} data points; at most ${deps.limits.maxBatchItems} items per request (VIGIL_INGEST_MAX_ITEMS): split it`,
          );
        }
        const cumulative = cumulativePoints(body);
        const resolved = deps.streams
          ? await resolveStreams(cumulative, {
              store: deps.streams,
              batchId: request.batchId,
              now: deps.clock(),
              maxAgeMs: deps.limits.maxAgeMs,
              ttlMs: deps.limits.maxAgeMs + STREAM_TTL_EXTRA_MS,
              cache: streamCache,
            })
          : undefined;
        const mapped = mapOtlpMetrics(body, resolved);
        batches.push(...mapped.batches);
        refusedAtMapping = mapped.refused.length;
        for (const r of mapped.refused.slice(0, 10)) reasons.add(`${r.service}: ${r.path}: ${r.message}`);
        for (const r of mapped.refused) {
          listed.push({ service: r.service, path: r.path, reason: r.message, code: r.code });
          tally(totals, r.service, 1);
        }
      }
      const kind = signal === 'traces' ? 'spans' : signal;
      // Request-wide: the items of all resources together, before anything is written.
      const items = batches.reduce((n, { batch }) => n + itemCount(batch as unknown as Record<string, unknown>), 0);
      if (items > deps.limits.maxBatchItems) {
        throw new PayloadTooLargeError(
          `the request holds ${items} items across its ${batches.length} resources; at most ${deps.limits.maxBatchItems} per request (VIGIL_INGEST_MAX_ITEMS): split it`,
        );
      }
      const accepted = zeroCounts();
      const rejected = zeroCounts();
      const stored = zeroCounts();
      rejected[kind] += refusedAtMapping;
      let derived = 0;
      for (const [part, { batch, contributions, paths }] of batches.entries()) {
        // `metrics[3].value` → the OTLP data point it came from.
        const located = (path: string) => path.replace(/^metrics\[(\d+)\]/, (m, i) => paths?.[Number(i)] ?? m);
        try {
          if (request.deadline - deps.clock() <= 0) {
            throw new ServiceUnavailableError(
              "the request's deadline passed before all of it was stored; send it again (the same body, or the same Idempotency-Key) and what is stored is not stored twice",
              1,
              { reason: { code: 'deadline-exceeded', message: 'the request took longer than its deadline' } },
            );
          }
          const result = await run(batch, false, scopeOf(request, part), contributions);
          for (const k of KINDS) {
            accepted[k] += result.accepted[k];
            stored[k] += result.accepted[k];
            rejected[k] += result.rejectedCounts[k];
          }
          derived += result.derivedSeriesRejected;
          for (const r of result.rejected.slice(0, 5)) reasons.add(`${batch.service}: ${located(r.path)}: ${r.reason}`);
          for (const r of result.rejected)
            listed.push({ service: batch.service, path: located(r.path), reason: r.reason });
          tally(
            totals,
            batch.service,
            KINDS.reduce((n, k) => n + result.rejectedCounts[k], 0),
          );
        } catch (error) {
          if (error instanceof ServiceUnavailableError) {
            // Storage unavailable or the deadline passed: the whole request is answered 503, to be sent again;
            // the answer says what is stored (the resources before this one, and this one's completed kinds).
            const partial = (error.extensions.stored as Counts | undefined) ?? zeroCounts();
            for (const k of KINDS) stored[k] += partial[k];
            throw new ServiceUnavailableError(
              `${part} of ${batches.length} resources stored: ${error.message}`,
              error.retryAfterSeconds,
              { ...error.extensions, stored, storedResources: part, resources: batches.length },
            );
          }
          if (!(error instanceof DomainError) || error.retryable) throw error;
          // A resource that cannot be stored at all (bad envelope, too many items) fails alone.
          const items = (batch[kind] as unknown[] | undefined)?.length ?? 0;
          rejected[kind] += items;
          reasons.add(`${batch.service}: ${error.message}`);
          listed.push({
            service: batch.service,
            path: kind,
            reason: error.message,
            code: 'resource-refused',
            count: items,
          });
          tally(totals, batch.service, items);
        }
      }
      record(accepted, rejected, derived);
      await report(listed, totals);
      const field = { traces: 'rejectedSpans', logs: 'rejectedLogRecords', metrics: 'rejectedDataPoints' }[signal];
      if (!rejected[kind]) return {};
      const errorMessage = [...reasons].slice(0, 10).join('; ');
      return { partialSuccess: { [field]: rejected[kind], errorMessage } };
    },
  };
}

export type IngestService = ReturnType<typeof ingestService>;
export type { Rejection };
