import { countDrop, DropReason } from '../internal/diagnostics.js';
import { Family, type MetricOptions } from './family.js';
import type { TagInput, Tags } from './names.js';
import { metricsState } from './state.js';

/** One tag combination of a counter. */
export class CounterSeries {
  /** Since the last push flush (Vigil, StatsD, EMF get deltas). */
  delta = 0;
  /** Since start (Prometheus gets totals). */
  total = 0;

  constructor(readonly tags: Tags) {}

  /**
   * Adds `n` (default 1). Negative, NaN and infinite values are dropped and counted.
   * @example
   * ordersCreated.labels({ channel: 'web' }).inc();
   */
  inc(n = 1): void {
    if (!metricsState.enabled) return;
    if (typeof n !== 'number' || !(n >= 0) || n === Number.POSITIVE_INFINITY) {
      countDrop('metric', DropReason.invalidValue);
      return;
    }
    this.delta += n;
    this.total += n;
  }
}

/**
 * A monotonically increasing count.
 * @example
 * const orders = counter('orders.created', { description: 'Orders placed' });
 * orders.inc();                          // no tags
 * orders.inc(1, { channel: 'web' });     // tags resolved per call
 * const web = orders.labels({ channel: 'web' });
 * web.inc();                             // tags bound ahead: the fast path
 */
export class Counter extends Family<CounterSeries> {
  readonly type = 'counter' as const;

  inc(n = 1, tags?: TagInput): void {
    if (!metricsState.enabled) return;
    this.labels(tags).inc(n);
  }

  protected createSeries(tags: Tags): CounterSeries {
    return new CounterSeries(tags);
  }

  protected detachedSeries(): CounterSeries {
    return new CounterSeries({});
  }
}

export type { MetricOptions };
