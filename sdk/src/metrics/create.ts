import { countDrop, DropReason, warnOnce } from '../internal/diagnostics.js';
import { Counter } from './counter.js';
import type { MetricOptions } from './family.js';
import { Gauge, type GaugeOptions } from './gauge.js';
import { Histogram, type HistogramOptions } from './histogram.js';
import { sanitizeMetricName } from './names.js';
import { type MetricFamily, registry } from './registry.js';

let onFirstMetric: (() => void) | undefined;
/** Lets the pipeline start its flush timer when the first metric appears. */
export function setOnFirstMetric(fn: () => void): void {
  onFirstMetric = fn;
}

function getOrCreate<F extends MetricFamily>(rawName: unknown, type: F['type'], make: (name: string) => F): F {
  const name = sanitizeMetricName(rawName) ?? 'invalid_metric_name';
  const existing = registry.get(name);
  if (existing) {
    if (existing.type === type) return existing as F;
    countDrop('metric', DropReason.typeConflict);
    warnOnce(`conflict:${name}`, `metric ${name} is already a ${existing.type}; this ${type} will not be exported`);
    return make(name);
  }
  const created = make(name);
  registry.set(name, created);
  if (registry.size === 1) onFirstMetric?.();
  return created;
}

/**
 * Gets or creates a counter. Calling it again with the same name returns the same counter.
 * @example
 * const orders = counter('orders.created', { description: 'Orders placed' });
 * orders.labels({ channel: 'web' }).inc();
 */
export function counter(name: string, options: MetricOptions = {}): Counter {
  return getOrCreate(name, 'counter', (n) => new Counter(n, options));
}

/**
 * Gets or creates a gauge.
 * @example
 * gauge('queue.depth', { collect: () => queue.length });
 */
export function gauge(name: string, options: GaugeOptions = {}): Gauge {
  return getOrCreate(name, 'gauge', (n) => new Gauge(n, options));
}

/**
 * Gets or creates a histogram.
 * @example
 * const size = histogram('upload.size', { unit: 'bytes', buckets: [1e3, 1e4, 1e5, 1e6] });
 * size.observe(file.length);
 */
export function histogram(name: string, options: HistogramOptions = {}): Histogram {
  return getOrCreate(name, 'histogram', (n) => new Histogram(n, options));
}

/**
 * A histogram in milliseconds with a timer helper.
 * @example
 * const dbTime = timer('db.query.duration');
 * const stop = dbTime.startTimer({ table: 'orders' });
 * await db.query(sql);
 * stop();
 * // or: await dbTime.labels({ table: 'orders' }).time(() => db.query(sql));
 */
export function timer(name: string, options: Omit<HistogramOptions, 'unit'> = {}): Histogram {
  return histogram(name, { ...options, unit: 'ms' });
}
