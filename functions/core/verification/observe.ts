import type { AlertStore } from '../alerting/ports.js';
import type { CanarySamples } from './canary-judge.js';
import { type CanaryMetricInput, canarySpecOf } from './check-canary.js';
import { healthUrl } from './check-health.js';
import type { PerformanceObservation } from './check-performance.js';
import type {
  CloudWatchSource,
  ErrorGroupSource,
  HealthProber,
  Histogram,
  SeriesFilter,
  SloReader,
  VersionTelemetry,
} from './ports.js';
import { type CheckName, endWindowSeconds, type FiringAlert, type VerificationRecord } from './record.js';
import { type CanaryMetricRequest, type CloudWatchMetric, type MetricRef, metricLabel } from './request-schema.js';
import type { Observations } from './step.js';

/**
 * Reads, through the ports, what the checks due now need: one probe of the health path, metric arrival,
 * the performance windows, the canary's samples since the deploy, the SLO burn, the error groups and the
 * firing alerts. A check whose read fails is reported in `failures` (retried by the step, never a crash).
 */
export interface ObserveDeps {
  readonly telemetry: VersionTelemetry;
  readonly cloudwatch: CloudWatchSource;
  readonly errors: ErrorGroupSource;
  readonly slo: SloReader;
  readonly prober: HealthProber;
  readonly alerts: AlertStore | undefined;
}

const cwHistogram = (values: readonly number[], m: CloudWatchMetric): Histogram => {
  const sorted = [...values].filter(Number.isFinite).sort((a, b) => a - b);
  return {
    count: sorted.length,
    errors: 0,
    values: sorted,
    weights: sorted.map(() => 1),
    describe: `CloudWatch ${m.namespace}/${m.metricName} ${m.stat}, one value per ${m.periodSeconds} s period`,
  };
};

async function performance(record: VerificationRecord, deps: ObserveDeps): Promise<PerformanceObservation> {
  const spec = record.request.checks.performance!;
  const start = record.createdAt;
  const window = spec.windowSeconds * 1_000;
  const metric: MetricRef = spec.metric;
  if (typeof metric !== 'string') {
    const [cur, before] = await Promise.all([
      deps.cloudwatch.series(metric, start, start + window),
      deps.cloudwatch.series(metric, start - window, start),
    ]);
    return { current: cwHistogram(cur.values, metric), before: cwHistogram(before.values, metric), errorsKnown: false };
  }
  const f = filterOf(record);
  const [current, before] = await Promise.all([
    deps.telemetry.histogram(metric, { ...f, version: record.request.version, from: start, to: start + window }),
    deps.telemetry.histogram(metric, { ...f, from: start - window, to: start - 1 }),
  ]);
  return { current, before, errorsKnown: true };
}

const filterOf = (record: VerificationRecord): Omit<SeriesFilter, 'from' | 'to'> => ({
  service: record.request.service,
  environment: record.request.environment,
});

async function canarySamples(
  record: VerificationRecord,
  m: CanaryMetricRequest,
  deps: ObserveDeps,
  now: number,
): Promise<CanarySamples> {
  const canary = record.request.checks.canary!;
  const from = record.createdAt;
  if (m.source === 'cloudwatch') {
    const metric: CloudWatchMetric = {
      source: 'cloudwatch',
      namespace: m.namespace!,
      metricName: m.metricName!,
      dimensions: m.dimensions ?? {},
      stat: m.stat ?? 'Average',
      periodSeconds: 60,
    };
    const [c, b] = await Promise.all([
      deps.cloudwatch.series(metric, from, now),
      deps.cloudwatch.series(metric, from, now, m.baselineDimensions),
    ]);
    return {
      kind: 'continuous',
      canary: [...c.values],
      baseline: [...b.values],
      describe: cwHistogram([], metric).describe,
    };
  }
  const f = filterOf(record);
  const canaryF = { ...f, version: record.request.version, from, to: now };
  const baseF = { ...f, version: canary.baselineVersion, from, to: now };
  if (m.kind === 'count') {
    const exposure =
      m.exposure ??
      canary.metrics.find((x) => x.kind === 'continuous' && x.source !== 'cloudwatch')?.name ??
      'vigil.spans.server.duration';
    const [ce, be, ct, bt] = await Promise.all([
      deps.telemetry.total(m.name, canaryF),
      deps.telemetry.total(m.name, baseF),
      deps.telemetry.total(exposure, canaryF),
      deps.telemetry.total(exposure, baseF),
    ]);
    return {
      kind: 'count',
      canaryEvents: ce,
      baselineEvents: be,
      canaryTotal: ct,
      baselineTotal: bt,
      describe: `${m.name} per ${exposure} observation since the deploy`,
    };
  }
  const [c, b] = await Promise.all([
    deps.telemetry.histogram(m.name, canaryF),
    deps.telemetry.histogram(m.name, baseF),
  ]);
  return {
    kind: 'continuous',
    canary: c.values,
    canaryWeights: c.weights,
    baseline: b.values,
    baselineWeights: b.weights,
    describe: c.describe,
  };
}

async function metricsSeen(
  record: VerificationRecord,
  deps: ObserveDeps,
  now: number,
): Promise<Record<string, boolean>> {
  const spec = record.request.checks.metrics!;
  const from = record.createdAt;
  const entries = await Promise.all(
    spec.required.map(async (m) => {
      const seen =
        typeof m === 'string'
          ? await deps.telemetry.hasData(m, { ...filterOf(record), version: record.request.version, from, to: now })
          : (await deps.cloudwatch.series(m, from, now)).values.length > 0;
      return [metricLabel(m), seen] as const;
    }),
  );
  return Object.fromEntries(entries);
}

async function firingAlerts(record: VerificationRecord, deps: ObserveDeps): Promise<FiringAlert[]> {
  if (!deps.alerts) return [];
  const all = await deps.alerts.list();
  return all
    .filter((a) => a.labels.service === record.request.service && a.state === 'firing')
    .map((a) => ({
      id: a.id,
      ruleId: a.ruleId,
      severity: a.severity,
      state: a.state,
      ...(a.firedAt !== undefined ? { firedAt: a.firedAt } : {}),
      ...(a.annotations.summary ? { summary: a.annotations.summary } : {}),
    }));
}

export async function observe(
  record: VerificationRecord,
  due: readonly CheckName[],
  deps: ObserveDeps,
  now: number,
): Promise<Observations> {
  const req = record.request;
  const out: { -readonly [K in keyof Observations]: Observations[K] } = {};
  const failures: Partial<Record<CheckName, string>> = {};
  const guard = async (name: CheckName, read: () => Promise<void>) => {
    try {
      await read();
    } catch (error) {
      failures[name] = (error as Error).message.slice(0, 300) || 'read failed';
    }
  };
  await Promise.all(
    due.map((name) =>
      guard(name, async () => {
        switch (name) {
          case 'health':
            out.health = await deps.prober.probe(
              healthUrl(req.deployUrl!, req.checks.health!.path),
              req.checks.health!.requestTimeoutMs,
            );
            break;
          case 'metrics':
            out.metrics = await metricsSeen(record, deps, now);
            break;
          case 'performance':
            out.performance = await performance(record, deps);
            break;
          case 'canary': {
            const metrics = req.checks.canary!.metrics;
            const samples = await Promise.all(metrics.map((m) => canarySamples(record, m, deps, now)));
            out.canary = metrics.map((m, i): CanaryMetricInput => ({ spec: canarySpecOf(m), samples: samples[i]! }));
            break;
          }
          case 'errorBudget':
            out.errorBudget = await deps.slo.burn(
              req.checks.errorBudget!.slo,
              req.service,
              now - endWindowSeconds(req) * 1_000,
              now,
            );
            break;
          case 'newErrors':
            out.newErrors = await deps.errors.groups(req.service);
            break;
        }
      }),
    ),
  );
  try {
    out.alerts = await firingAlerts(record, deps);
  } catch {
    // Alerts are listed for information; a read failure leaves the list as it was.
  }
  return Object.keys(failures).length ? { ...out, failures } : out;
}
