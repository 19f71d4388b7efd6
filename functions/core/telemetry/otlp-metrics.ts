import type { Contribution } from './model.js';
import {
  asArray,
  asObject,
  attributes,
  type NativeBatch,
  nanosToMs,
  nativeBatch,
  resourceStamp,
} from './otlp-common.js';
import { addToBuckets, type Buckets } from './sketch.js';

/**
 * OTLP `ExportMetricsServiceRequest` (JSON) → native batches. Vigil stores deltas: delta sums become
 * counters, gauges and non-monotonic sums become gauges, delta histograms (explicit or exponential) become
 * pre-aggregated histogram contributions. Cumulative monotonic sums and cumulative histograms would need
 * per-series state to turn into deltas, so they are refused with a reason that says how to fix the
 * exporter (temporality preference `delta`).
 */
export interface MappedMetrics {
  readonly batches: { batch: NativeBatch; contributions: Map<number, Contribution> }[];
  /** Datapoints refused while mapping, with why. */
  readonly refused: { count: number; reasons: Set<string> };
}

const DELTA = 1;
const CUMULATIVE_HINT =
  'cumulative temporality is not supported; set OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE=delta (or temporalityPreference: DELTA)';

const num = (x: unknown): number | undefined => {
  const n = typeof x === 'string' ? Number(x) : x;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};

function explicitBuckets(point: Record<string, unknown>): Contribution | undefined {
  const count = num(point.count) ?? 0;
  if (count <= 0) return undefined;
  const bounds = asArray(point.explicitBounds).map(num);
  const counts = asArray(point.bucketCounts).map(num);
  const min = num(point.min);
  const max = num(point.max);
  const buckets: Buckets = new Map();
  counts.forEach((k, i) => {
    if (!k) return;
    const lo = i === 0 ? (min ?? bounds[0]) : bounds[i - 1];
    const hi = i >= bounds.length ? (max ?? bounds[bounds.length - 1]) : bounds[i];
    // An explicit bucket only says "somewhere in (lo, hi]": its midpoint is the best single guess.
    const rep = lo !== undefined && hi !== undefined ? (lo + hi) / 2 : (lo ?? hi ?? 0);
    addToBuckets(buckets, rep, k);
  });
  const sum = num(point.sum) ?? 0;
  return { count, sum, min: min ?? sum / count, max: max ?? sum / count, buckets };
}

function exponentialBuckets(point: Record<string, unknown>): Contribution | undefined {
  const count = num(point.count) ?? 0;
  if (count <= 0) return undefined;
  const scale = num(point.scale) ?? 0;
  const base = 2 ** (2 ** -scale);
  const buckets: Buckets = new Map();
  const zero = num(point.zeroCount) ?? 0;
  if (zero) addToBuckets(buckets, 0, zero);
  for (const [side, sign] of [
    ['positive', 1],
    ['negative', -1],
  ] as const) {
    const b = asObject(point[side]);
    const offset = num(b?.offset) ?? 0;
    asArray(b?.bucketCounts).forEach((k, i) => {
      const n = num(k);
      // Bucket j spans (base^j, base^(j+1)]; its geometric middle is the representative.
      if (n) addToBuckets(buckets, sign * base ** (offset + i + 0.5), n);
    });
  }
  const sum = num(point.sum) ?? 0;
  return { count, sum, min: num(point.min) ?? sum / count, max: num(point.max) ?? sum / count, buckets };
}

export function mapOtlpMetrics(body: unknown): MappedMetrics {
  const refused = { count: 0, reasons: new Set<string>() };
  const batches: MappedMetrics['batches'] = [];
  for (const rm of asArray(asObject(body)?.resourceMetrics)) {
    const stamp = resourceStamp(asObject(rm)?.resource);
    const metrics: unknown[] = [];
    const contributions = new Map<number, Contribution>();
    for (const sm of asArray(asObject(rm)?.scopeMetrics)) {
      for (const raw of asArray(asObject(sm)?.metrics)) {
        const metric = asObject(raw) ?? {};
        const base = {
          name: metric.name,
          ...(typeof metric.unit === 'string' && metric.unit ? { unit: metric.unit } : {}),
        };
        const kind = ['sum', 'gauge', 'histogram', 'exponentialHistogram'].find((k) => asObject(metric[k]));
        const data = kind ? asObject(metric[kind])! : {};
        const points = asArray(data.dataPoints).map((p) => asObject(p) ?? {});
        const temporality = num(data.aggregationTemporality);
        const cumulative = temporality !== undefined && temporality !== DELTA;
        if (!kind || (kind !== 'gauge' && cumulative && !(kind === 'sum' && data.isMonotonic !== true))) {
          refused.count += Math.max(points.length, 1);
          refused.reasons.add(
            kind ? `${String(metric.name)}: ${CUMULATIVE_HINT}` : `${String(metric.name)}: no supported data`,
          );
          continue;
        }
        for (const point of points) {
          const common = { ...base, tags: attributes(point.attributes), timestamp: nanosToMs(point.timeUnixNano) };
          const value = num(point.asDouble) ?? num(point.asInt);
          if (kind === 'gauge' || (kind === 'sum' && cumulative)) metrics.push({ ...common, type: 'gauge', value });
          else if (kind === 'sum') metrics.push({ ...common, type: 'counter', value });
          else {
            const contribution = kind === 'histogram' ? explicitBuckets(point) : exponentialBuckets(point);
            if (!contribution) continue; // an empty interval: nothing happened
            contributions.set(metrics.length, contribution);
            metrics.push({ ...common, type: 'histogram', values: [contribution.sum / contribution.count] });
          }
        }
      }
    }
    if (metrics.length) batches.push({ batch: { ...nativeBatch(stamp), metrics }, contributions });
  }
  return { batches, refused };
}
