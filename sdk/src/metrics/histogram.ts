import { performance } from 'node:perf_hooks';
import { countDrop, DropReason } from '../internal/diagnostics.js';
import { Family, type MetricOptions } from './family.js';
import type { TagInput, Tags } from './names.js';
import { metricsState } from './state.js';

/** Bucket bounds for millisecond durations. */
export const DEFAULT_MS_BUCKETS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] as const;
/** prom-client's defaults, for values in seconds or without a unit. */
export const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** One tag combination of a histogram. */
export class HistogramSeries {
  /** Per-bucket (not cumulative) counts since start; the last slot is +Inf. */
  readonly bucketCounts: number[];
  count = 0;
  sum = 0;
  /** Since the last push flush. */
  values: number[] = [];
  pendingCount = 0;
  pendingSum = 0;
  pendingMin = Number.POSITIVE_INFINITY;
  pendingMax = Number.NEGATIVE_INFINITY;
  /** Values beyond the per-flush cap (counted in diagnostics at collection, off the hot path). */
  capped = 0;

  constructor(
    readonly tags: Tags,
    readonly bounds: readonly number[],
  ) {
    this.bucketCounts = new Array<number>(bounds.length + 1).fill(0);
  }

  /**
   * Records one value. NaN and infinities are dropped and counted.
   * @example
   * latency.labels({ route: '/cart' }).observe(12.5);
   */
  observe(value: number): void {
    if (!metricsState.enabled) return;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      countDrop('metric', DropReason.invalidValue);
      return;
    }
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > (bounds[i] as number)) i++;
    this.bucketCounts[i]!++;
    this.count++;
    this.sum += value;
    this.pendingCount++;
    this.pendingSum += value;
    if (value < this.pendingMin) this.pendingMin = value;
    if (value > this.pendingMax) this.pendingMax = value;
    if (this.values.length < metricsState.maxValuesPerFlush) this.values.push(value);
    else this.capped++;
  }

  /**
   * Starts a timer; calling the returned function observes the elapsed milliseconds and returns them.
   * @example
   * const stop = latency.labels({ op: 'charge' }).startTimer();
   * await charge(); stop();
   */
  startTimer(): () => number {
    const start = performance.now();
    return () => {
      const elapsed = performance.now() - start;
      this.observe(elapsed);
      return elapsed;
    };
  }

  /** Times `fn` (sync or async) in milliseconds; its result or exception passes through untouched. */
  time<T>(fn: () => T): T {
    const stop = this.startTimer();
    let result: T;
    try {
      result = fn();
    } catch (error) {
      stop();
      throw error;
    }
    if (result instanceof Promise) {
      return result.finally(stop) as T;
    }
    stop();
    return result;
  }
}

export interface HistogramOptions extends MetricOptions {
  /** Upper bounds for Prometheus buckets. @default DEFAULT_MS_BUCKETS for unit 'ms', else DEFAULT_BUCKETS */
  readonly buckets?: readonly number[];
}

/**
 * A distribution of values (latency, sizes). Vigil receives the raw values per flush and computes
 * percentiles; Prometheus gets cumulative buckets.
 * @example
 * const latency = histogram('checkout.duration', { unit: 'ms' });
 * latency.observe(42, { step: 'payment' });
 */
export class Histogram extends Family<HistogramSeries> {
  readonly type = 'histogram' as const;
  readonly bounds: readonly number[];

  constructor(name: string, options: HistogramOptions) {
    super(name, options);
    const given = options.buckets?.filter((b) => typeof b === 'number' && Number.isFinite(b));
    this.bounds =
      given && given.length > 0
        ? [...new Set(given)].sort((a, b) => a - b)
        : options.unit === 'ms'
          ? DEFAULT_MS_BUCKETS
          : DEFAULT_BUCKETS;
  }

  observe(value: number, tags?: TagInput): void {
    if (!metricsState.enabled) return;
    this.labels(tags).observe(value);
  }

  /** @see HistogramSeries.startTimer */
  startTimer(tags?: TagInput): () => number {
    return this.labels(tags).startTimer();
  }

  protected createSeries(tags: Tags): HistogramSeries {
    return new HistogramSeries(tags, this.bounds);
  }

  protected detachedSeries(): HistogramSeries {
    return new HistogramSeries({}, this.bounds);
  }
}
