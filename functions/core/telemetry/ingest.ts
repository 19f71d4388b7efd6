import { ServiceUnavailableError, ValidationError } from '../errors.js';
import { derivedMetrics } from './derived-metrics.js';
import { groupErrors } from './error-groups.js';
import { FIXED_LIMITS, type IngestLimits } from './limits.js';
import { type Counts, type MetricPoint, type Rejection, zeroCounts } from './model.js';
import type { TelemetryWriter } from './ports.js';
import { planRollups, seriesId } from './rollup-plan.js';
import { planSummary } from './service-summary.js';
import type { ValidatedBatch } from './validate-batch.js';
import type { WriteScope } from './write-scope.js';

/**
 * The ingest use case: a validated batch → cardinality guard → one write per series-step, plus logs,
 * spans and error groups. Pure orchestration over the `TelemetryWriter` port; the clock is a parameter.
 */
export interface IngestResult {
  readonly accepted: Counts;
  readonly rejected: Rejection[];
  readonly rejectedCounts: Counts;
  /** Span-derived series refused by the cardinality guard (not items the client sent, but never silent). */
  readonly derivedSeriesRejected: number;
  readonly rollupWrites: number;
}

export interface IngestDeps {
  readonly writer: TelemetryWriter;
  readonly limits: IngestLimits;
  readonly now: number;
  /** The batch's id and deadline, carried by every write (see `write-scope.ts`). */
  readonly scope: WriteScope;
  /** OTLP answers partial success instead of 400 when nothing is valid. @default true */
  readonly refuseEmpty?: boolean;
}

const keyOf = (p: MetricPoint) => seriesId(p.name, p.type, p.tags);

export async function ingest(validated: ValidatedBatch, deps: IngestDeps): Promise<IngestResult> {
  const { batch } = validated;
  const rejected = [...validated.rejected];
  const rejectedCounts = { ...validated.rejectedCounts };
  const { writer, limits, now, scope } = deps;

  const hasItems = batch.metrics.length + batch.logs.length + batch.spans.length + batch.errors.length > 0;
  // The service (and its environment) is admitted before anything of the batch is written.
  if (hasItems) {
    const serviceLimits = { maxServices: limits.maxServices, maxEnvironments: FIXED_LIMITS.environmentsPerService };
    await writer.admitService(batch.service, batch.environment, now, serviceLimits, scope);
  }
  const derived = derivedMetrics(batch.spans);
  const plan = planRollups([...batch.metrics, ...derived], limits.stepSeconds);
  const admitted = plan.series.size
    ? await writer.admitSeries(batch.service, [...plan.series.values()], limits.maxSeriesPerService, now, scope)
    : new Set<string>();
  const overflow = new Map(plan.refused.map((r) => [r.point, r.reason]));
  const keptMetrics = batch.metrics.filter((point) => {
    const tooLarge = overflow.get(point);
    if (tooLarge !== undefined) {
      rejectedCounts.metrics++;
      if (rejected.length < FIXED_LIMITS.rejectedListed)
        rejected.push({ path: point.source ?? 'metrics', reason: tooLarge });
      return false;
    }
    if (admitted.has(keyOf(point))) return true;
    rejectedCounts.metrics++;
    if (rejected.length < FIXED_LIMITS.rejectedListed) {
      rejected.push({
        path: point.source ?? 'metrics',
        reason: `service ${batch.service} has reached its limit of ${limits.maxSeriesPerService} metric series; new series are refused`,
      });
    }
    return false;
  });
  const derivedSeriesRejected = new Set(derived.map(keyOf).filter((id) => !admitted.has(id))).size;

  const accepted: Counts = {
    ...zeroCounts(),
    metrics: keptMetrics.length,
    logs: batch.logs.length,
    spans: batch.spans.length,
    errors: batch.errors.length,
  };
  const total = accepted.metrics + accepted.logs + accepted.spans + accepted.errors;
  if (total === 0 && (deps.refuseEmpty ?? true)) {
    throw new ValidationError(
      rejected.length
        ? rejected.map((r) => ({ path: r.path, message: r.reason }))
        : [{ path: '', message: 'the batch holds no items' }],
      rejected.length ? 'no item in the batch is valid' : 'the batch holds no items',
    );
  }

  const updates = plan.updates.filter((u) => admitted.has(u.series.id));
  const summary = planSummary([...keptMetrics, ...derived.filter((p) => admitted.has(keyOf(p)))], limits.stepSeconds);
  const { groups, fingerprints } = groupErrors(batch.errors);
  // Every write is awaited, failed or not, before the answer: nothing goes on writing after the client is told.
  const outcomes = await Promise.allSettled([
    updates.length ? writer.applyRollups(batch.service, updates, scope) : undefined,
    batch.logs.length ? writer.putLogs(batch.logs, scope) : undefined,
    batch.spans.length ? writer.putSpans(batch.spans, scope) : undefined,
    groups.length
      ? writer.recordErrors(
          groups,
          batch.errors.map((e, i) => ({ ...e, fingerprint: fingerprints[i]! })),
          scope,
        )
      : undefined,
  ]);
  // The summary last: it holds only what the writes above stored (a retry of a failed batch adds it then).
  if (!outcomes.some((o) => o.status === 'rejected') && summary.length) {
    outcomes.push(...(await Promise.allSettled([writer.applySummary(batch.service, summary, scope)])));
  }
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) {
    const error = failed.reason as unknown;
    if (!(error instanceof ServiceUnavailableError)) throw error;
    // What is known to be stored: the kinds whose writes all completed.
    const ok = (i: number) => outcomes[i]!.status === 'fulfilled';
    const stored: Counts = {
      metrics: ok(0) ? accepted.metrics : 0,
      logs: ok(1) ? accepted.logs : 0,
      spans: ok(2) ? accepted.spans : 0,
      errors: ok(3) ? accepted.errors : 0,
    };
    throw new ServiceUnavailableError(error.message, error.retryAfterSeconds, { ...error.extensions, stored });
  }
  return { accepted, rejected, rejectedCounts, derivedSeriesRejected, rollupWrites: updates.length };
}
