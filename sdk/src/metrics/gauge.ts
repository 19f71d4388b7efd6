import { countDrop, DropReason } from '../internal/diagnostics.js';
import { Family, type MetricOptions } from './family.js';
import type { TagInput, Tags } from './names.js';
import { metricsState } from './state.js';

/** One tag combination of a gauge. */
export class GaugeSeries {
  value = 0;
  /** A gauge is exported only once it has been set. */
  touched = false;

  constructor(readonly tags: Tags) {}

  /** Sets the current value. NaN and infinities are dropped and counted. */
  set(value: number): void {
    if (!metricsState.enabled) return;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      countDrop('metric', DropReason.invalidValue);
      return;
    }
    this.value = value;
    this.touched = true;
  }

  inc(n = 1): void {
    this.set(this.value + n);
  }

  dec(n = 1): void {
    this.set(this.value - n);
  }
}

export interface GaugeOptions extends MetricOptions {
  /** Called at every collection to read the value of the unlabelled series (queue depth, pool size…). */
  readonly collect?: () => number;
}

/**
 * A value that goes up and down.
 * @example
 * const depth = gauge('queue.depth', { collect: () => queue.length });
 * const inFlight = gauge('http.in_flight');
 * inFlight.inc(); … inFlight.dec();
 */
export class Gauge extends Family<GaugeSeries> {
  readonly type = 'gauge' as const;
  private readonly collector: (() => number) | undefined;

  constructor(name: string, options: GaugeOptions) {
    super(name, options);
    this.collector = options.collect;
  }

  set(value: number, tags?: TagInput): void {
    this.labels(tags).set(value);
  }

  inc(n = 1, tags?: TagInput): void {
    this.labels(tags).inc(n);
  }

  dec(n = 1, tags?: TagInput): void {
    this.labels(tags).dec(n);
  }

  /** Runs the `collect` callback, if any; a throwing callback is counted and skipped. */
  refresh(): void {
    if (!this.collector || !metricsState.enabled) return;
    try {
      this.labels().set(this.collector());
    } catch {
      countDrop('metric', DropReason.invalidValue);
    }
  }

  protected createSeries(tags: Tags): GaugeSeries {
    return new GaugeSeries(tags);
  }

  protected detachedSeries(): GaugeSeries {
    return new GaugeSeries({});
  }
}
