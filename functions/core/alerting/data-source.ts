import type { Labels } from './model.js';
import type { CloudWatchMetric, VigilMetric } from './rule-model.js';

/**
 * The port rules read data through. Vigil's adapter (functions/adapters/alert-data-vigil.ts) reads the
 * rollups, the services list and the probe states; CloudWatch's (alert-data-cloudwatch.ts) sends
 * GetMetricData, up to 500 queries a call. `vigil rules test` implements it in memory from its input series.
 * Windows are [from, to) in epoch ms; label sets are the metric's `groupBy` tags.
 */
export interface WindowValue {
  readonly labels: Labels;
  readonly value: number;
  /** Observations behind the value (0 never appears: a label set without data is absent). */
  readonly count: number;
}

export interface SeriesPoints {
  readonly labels: Labels;
  /** [step start, statistic of the step], ascending. */
  readonly points: readonly (readonly [number, number])[];
}

export interface LatencyCounts {
  readonly labels: Labels;
  /** Observations at or below the threshold. */
  readonly good: number;
  readonly total: number;
}

export interface TargetView {
  readonly id: string;
  readonly service: string;
  readonly status: 'up' | 'degraded' | 'down' | 'unknown';
  readonly reason: string | undefined;
  readonly since: number;
}

export interface CloudWatchQuery {
  readonly metric: CloudWatchMetric;
  readonly from: number;
  readonly to: number;
  readonly periodSeconds: number;
}

export type CloudWatchResult =
  | { readonly ok: true; readonly points: readonly (readonly [number, number])[] }
  | { readonly ok: false; readonly error: string };

export interface TimeWindow {
  readonly start: number;
  readonly end: number;
}

export interface AlertDataSource {
  /** The metric's statistic over the window, one value per label set that has data. */
  windowStat(metric: VigilMetric, from: number, to: number): Promise<WindowValue[]>;
  /** The statistic per step of `stepMs` (anomaly baselines). */
  series(metric: VigilMetric, from: number, to: number, stepMs: number): Promise<SeriesPoints[]>;
  /** Observations of a histogram at or below `threshold`, and all of them (latency objectives). */
  latencyCounts(metric: VigilMetric, threshold: number, from: number, to: number): Promise<LatencyCounts[]>;
  /**
   * The newest datapoint's time in [from, to]: of the metric, or of any ingest from the service without
   * `name`; undefined when there is none in that span.
   */
  lastSeen(
    metric: { service: string; name?: string | undefined; tags?: Labels },
    from: number,
    to: number,
  ): Promise<number | undefined>;
  targets(): Promise<TargetView[]>;
  /** Results in the order of `queries`; a failed batch fails its queries, not the others. */
  cloudWatch(queries: readonly CloudWatchQuery[]): Promise<CloudWatchResult[]>;
  /** Deployment verifications of a service overlapping the window (left out of anomaly training). */
  deployWindows(service: string, from: number, to: number): Promise<TimeWindow[]>;
}
