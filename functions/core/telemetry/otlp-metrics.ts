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
import { explicitHistogram, exponentialHistogram, isRefusal } from './otlp-histograms.js';
import { HTTP_METRICS, httpServerView, scaledContribution, scaledPoint } from './otlp-semconv.js';
import { cumulativeKind, type Resolution } from './otlp-streams.js';

/**
 * OTLP `ExportMetricsServiceRequest` (JSON, or protobuf decoded to the same shape) → native batches. Vigil
 * stores deltas: delta sums become counters, gauges and non-monotonic sums become gauges, delta histograms
 * (explicit or exponential) become pre-aggregated histogram contributions. Cumulative monotonic sums and
 * cumulative histograms arrive here already turned into delta points by `resolveStreams` (otlp-streams.ts).
 */
export interface MappedMetrics {
  readonly batches: {
    batch: NativeBatch;
    contributions: Map<number, Contribution>;
    /** The OTLP path of each native metric (`paths[3]` for `metrics[3]`), so rejections name what was sent. */
    paths: string[];
  }[];
  /** Datapoints refused while mapping, each with where and why. */
  readonly refused: OtlpRefusal[];
}

/** One data point (or metric) refused before validation. `code` is stable; `message` is for a person. */
export interface OtlpRefusal {
  readonly service: string;
  readonly path: string;
  readonly code: 'invalid-point' | 'cumulative-unsupported' | 'unsupported-data';
  readonly message: string;
}

const DELTA = 1;
/** Only when the ingest service runs without a stream store (tools, tests). */
const CUMULATIVE_HINT =
  'cumulative temporality needs the stream store here; set OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE=delta (or temporalityPreference: DELTA)';

const num = (x: unknown): number | undefined => {
  const n = typeof x === 'string' ? Number(x) : x;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};

/**
 * `resolved` holds what each cumulative point (by OTLP path) stands for as a delta point, or null for nothing
 * to add (see `resolveStreams`); without it cumulative sums and histograms are refused.
 */
export function mapOtlpMetrics(body: unknown, resolved?: ReadonlyMap<string, Resolution>): MappedMetrics {
  const refused: OtlpRefusal[] = [];
  const batches: MappedMetrics['batches'] = [];
  asArray(asObject(body)?.resourceMetrics).forEach((rm, r) => {
    const stamp = resourceStamp(asObject(rm)?.resource);
    const metrics: unknown[] = [];
    const contributions = new Map<number, Contribution>();
    const paths: string[] = [];
    asArray(asObject(rm)?.scopeMetrics).forEach((sm, s) => {
      asArray(asObject(sm)?.metrics).forEach((raw, m) => {
        const at = `resourceMetrics[${r}].scopeMetrics[${s}].metrics[${m}]`;
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
        const refuse = (path: string, code: OtlpRefusal['code'], message: string) =>
          refused.push({ service: stamp.service, path, code, message });
        if (!kind) {
          refuse(
            at,
            'unsupported-data',
            `${String(metric.name)}: no supported data (sum, gauge, histogram, exponentialHistogram)`,
          );
          return;
        }
        const stateful = kind !== 'gauge' && cumulativeKind(metric) !== undefined;
        if (stateful && !resolved) {
          for (const [p] of (points.length ? points : [{}]).entries()) {
            refuse(
              `${at}.${kind}.dataPoints[${p}]`,
              'cumulative-unsupported',
              `${String(metric.name)}: ${CUMULATIVE_HINT}`,
            );
          }
          return;
        }
        points.forEach((sent, p) => {
          const pointAt = `${at}.${kind}.dataPoints[${p}]`;
          const point = stateful ? resolved?.get(pointAt) : sent;
          if (!point) return; // a cumulative point that adds nothing: already counted, or a stream's baseline
          const common = { ...base, tags: attributes(point.attributes), timestamp: nanosToMs(point.timeUnixNano) };
          const value = num(point.asDouble) ?? num(point.asInt);
          paths[metrics.length] = pointAt;
          if (kind === 'gauge' || (kind === 'sum' && cumulative && !stateful))
            metrics.push({ ...common, type: 'gauge', value });
          else if (kind === 'sum') metrics.push({ ...common, type: 'counter', value });
          else {
            const result =
              kind === 'histogram' ? explicitHistogram(point, pointAt) : exponentialHistogram(point, pointAt);
            if (isRefusal(result)) {
              refuse(result.path, 'invalid-point', `${String(metric.name)}: ${result.message}`);
              return;
            }
            if (!result) return; // an empty interval: nothing happened
            contributions.set(metrics.length, result);
            metrics.push({ ...common, type: 'histogram', values: [result.sum / result.count] });
            // OpenTelemetry's HTTP server histograms also feed the series the services view reads.
            const view = httpServerView(metric.name, base.unit, attributes(point.attributes));
            if (!view) return;
            const timestamp = common.timestamp;
            paths[metrics.length] = pointAt;
            metrics.push({
              name: HTTP_METRICS.requests,
              type: 'counter',
              value: result.count,
              tags: view.tags,
              timestamp,
            });
            if (!view.addDuration) return;
            const inMs =
              kind === 'histogram'
                ? explicitHistogram(scaledPoint(point, view.toMs), pointAt)
                : scaledContribution(result, view.toMs);
            if (!inMs || isRefusal(inMs)) return;
            paths[metrics.length] = pointAt;
            contributions.set(metrics.length, inMs);
            metrics.push({
              name: HTTP_METRICS.duration,
              unit: 'ms',
              type: 'histogram',
              values: [inMs.sum / inMs.count],
              tags: view.tags,
              timestamp,
            });
          }
        });
      });
    });
    if (metrics.length) batches.push({ batch: { ...nativeBatch(stamp), metrics }, contributions, paths });
  });
  return { batches, refused };
}
