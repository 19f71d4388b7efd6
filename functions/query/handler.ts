import pLimit from 'p-limit';
import { DynamoDbRefusalStore } from '../adapters/dynamodb-refusal-store.js';
import { DynamoDbServiceSummaries } from '../adapters/dynamodb-service-summaries.js';
import { DynamoDbTelemetryReader } from '../adapters/dynamodb-telemetry-reader.js';
import { NotFoundError, ValidationError } from '../core/errors.js';
import { SERVICE_PATTERN } from '../core/telemetry/limits.js';
import { aggregate } from '../core/telemetry/metric-query.js';
import { DERIVED, dependencyMap } from '../core/telemetry/service-map.js';
import { summariseService } from '../core/telemetry/service-summary.js';
import { parse } from '../core/validate.js';
import type { FunctionEnv } from '../platform/config.js';
import { httpFunction } from '../platform/http-function.js';
import { lambdaHandler } from '../platform/lambda-handler.js';
import { type RuntimeOverrides, runtime } from '../platform/runtime.js';
import { loadSeries, summariseTraces } from './load.js';
import {
  ErrorsQuerySchema,
  LogsQuerySchema,
  metricQuery,
  RangeOnlySchema,
  rangeOf,
  TracesQuerySchema,
} from './params.js';

const SERVICES_WINDOW_MS = 15 * 60_000;
/** `GET /v1/services/{service}/refused` looks back a day unless told otherwise. */
const REFUSED_WINDOW_MS = 24 * 3_600_000;
/** Reads in flight at once when a request fans out over services. */
const FAN_OUT = 8;

export function createHandler(env: FunctionEnv, overrides: RuntimeOverrides = {}) {
  const rt = runtime('query', env, overrides);
  const reader = new DynamoDbTelemetryReader(rt.db, rt.table('telemetry'), rt.clock, rt.cursors);
  const refusals = new DynamoDbRefusalStore(rt.db, rt.table('telemetry'));
  // Retention is the ingest function's concern; reading needs none.
  const summaries = new DynamoDbServiceSummaries(rt.db, rt.table('telemetry'), 0);
  /** `fn` over `services`, at most FAN_OUT at a time (a request with 1,000 services must not open 1,000 queries). */
  const eachService = <T>(services: readonly string[], fn: (service: string) => Promise<T>) => {
    const limit = pLimit(FAN_OUT);
    return Promise.all(services.map((s) => limit(() => fn(s))));
  };

  const servicesOrOne = async (service: string | undefined) =>
    service ? [service] : (await reader.listServices()).map((s) => s.service);

  return httpFunction({
    name: 'query',
    obs: rt.obs,
    auth: rt.auth,
    maxBodyBytes: rt.settings.maxBodyBytes,
    routes: {
      'GET /v1/metrics/query': async (req) => {
        const q = metricQuery(req.query, rt.clock(), rt.settings.rollupStepSeconds);
        const rows = await loadSeries(reader, q.service, q.name, q.filter, q.from, q.to);
        const stat =
          q.stat ?? (rows[0]?.series.type === 'counter' ? { kind: 'sum' as const } : { kind: 'avg' as const });
        const series = aggregate(rows, { stat, stepMs: q.stepMs, groupBy: q.groupBy, filter: q.filter });
        return { status: 200, body: { from: q.from, to: q.to, step: q.stepMs / 1_000, series } };
      },
      'GET /v1/logs': async (req) => {
        const q = parse(LogsQuerySchema, req.query, 'query');
        if (!q.service && !q.traceId)
          throw new ValidationError([{ path: 'query.service', message: 'give service or traceId' }]);
        const range = rangeOf(q, rt.clock());
        const { service, level, q: text, traceId, cursor } = q;
        const page = await reader.queryLogs({ ...range, service, level, q: text, traceId, cursor, limit: q.limit });
        return { status: 200, body: { items: page.items, nextCursor: page.nextCursor ?? null } };
      },
      'GET /v1/traces/{traceId}': async (req) => {
        const traceId = (req.params.traceId ?? '').toLowerCase();
        if (!/^[0-9a-f]{32}$/.test(traceId))
          throw new ValidationError([{ path: 'traceId', message: 'must be 32 hex characters' }]);
        // Spans starting in the same millisecond: the root first, then the longer (enclosing) one.
        const spans = (await reader.trace(traceId)).sort(
          (a, b) =>
            a.startTime - b.startTime ||
            Number(a.parentSpanId !== undefined) - Number(b.parentSpanId !== undefined) ||
            b.endTime - a.endTime,
        );
        if (!spans.length) throw new NotFoundError(`no spans stored for trace ${traceId}`);
        return { status: 200, body: { traceId, spans } };
      },
      'GET /v1/traces': async (req) => {
        const q = parse(TracesQuerySchema, req.query, 'query');
        const range = rangeOf(q, rt.clock());
        const services = await servicesOrOne(q.service);
        const spans = (
          await eachService(services, (s) => reader.entrySpans(s, range.from, range.to, q.limit, q.minDurationMs))
        ).flat();
        return { status: 200, body: { items: summariseTraces(spans, q.limit) } };
      },
      'GET /v1/errors': async (req) => {
        const q = parse(ErrorsQuerySchema, req.query, 'query');
        const range = rangeOf(q, rt.clock(), 24 * 3_600_000);
        const services = await servicesOrOne(q.service);
        const groups = (await eachService(services, (s) => reader.errorGroups(s)))
          .flat()
          .filter((g) => g.lastSeen >= range.from && g.firstSeen <= range.to)
          .sort((a, b) => b.lastSeen - a.lastSeen);
        return { status: 200, body: { items: groups } };
      },
      'GET /v1/services': async () => {
        const now = rt.clock();
        const [seen, totals] = await Promise.all([
          reader.listServices(),
          summaries.read(now - SERVICES_WINDOW_MS, now, now),
        ]);
        const items = seen.map((s) => summariseService(s, totals.get(s.service), SERVICES_WINDOW_MS / 1_000));
        return {
          status: 200,
          body: { window: '15m', items: items.sort((a, b) => a.service.localeCompare(b.service)) },
        };
      },
      'GET /v1/services/{service}/refused': async (req) => {
        const service = req.params.service ?? '';
        if (!SERVICE_PATTERN.test(service) || service.length > 64) {
          throw new ValidationError([
            { path: 'service', message: 'must be a service name (letters, digits, _ . : -)' },
          ]);
        }
        const q = parse(RangeOnlySchema, req.query, 'query');
        const range = rangeOf(q, rt.clock(), REFUSED_WINDOW_MS);
        const items = await refusals.list(service, range.from, range.to);
        return { status: 200, body: { service, from: range.from, to: range.to, items } };
      },
      'GET /v1/dependencies': async (req) => {
        const q = parse(RangeOnlySchema, req.query, 'query');
        const range = rangeOf(q, rt.clock());
        const services = (await reader.listServices()).map((s) => s.service);
        const clientSpans = new Map(
          await eachService(
            services,
            async (s) => [s, await loadSeries(reader, s, DERIVED.clientDuration, {}, range.from, range.to)] as const,
          ),
        );
        return { status: 200, body: { from: range.from, to: range.to, ...dependencyMap(services, clientSpans) } };
      },
    },
  });
}

export const handler = lambdaHandler(createHandler);
