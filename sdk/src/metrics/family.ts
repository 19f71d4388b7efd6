import { countDrop, DropReason } from '../internal/diagnostics.js';
import { sanitizeTags, type TagInput, type Tags, tagKey } from './names.js';
import { metricsState } from './state.js';

export interface MetricOptions {
  /** Shown as `# HELP` in Prometheus output. */
  readonly description?: string;
  /** Unit of the values (`ms`, `s`, `bytes`…); sent to Vigil and appended to Prometheus names. */
  readonly unit?: string;
  /** Bypass the configured prefix (the SDK's standard metrics use this). @default false */
  readonly noPrefix?: boolean;
}

/** Shared by counters, gauges and histograms: series per tag set, created once and cached. */
export abstract class Family<S> {
  readonly series = new Map<string, S>();
  readonly description: string;
  readonly unit: string | undefined;
  readonly noPrefix: boolean;
  private unlabelled: S | undefined;

  constructor(
    readonly name: string,
    options: MetricOptions,
  ) {
    this.description = options.description ?? name;
    this.unit = options.unit;
    this.noPrefix = options.noPrefix ?? false;
  }

  protected abstract createSeries(tags: Tags): S;
  protected abstract detachedSeries(): S;

  /**
   * The series for a tag set, bound ahead of time so the hot path is one method call.
   * @example
   * const cartHits = requests.labels({ route: '/cart' });
   * cartHits.inc();
   */
  labels(tags?: TagInput): S {
    if (tags === undefined) return this.unlabelled ?? this.bindUnlabelled();
    const clean = sanitizeTags(tags);
    const key = tagKey(clean);
    const found = this.series.get(key);
    if (found) return found;
    if (this.series.size >= metricsState.maxSeriesPerMetric) {
      countDrop('metric', DropReason.tooManySeries);
      return this.detachedSeries();
    }
    const created = this.createSeries(clean);
    this.series.set(key, created);
    return created;
  }

  private bindUnlabelled(): S {
    this.unlabelled = this.labels({});
    return this.unlabelled;
  }

  /** Full name with the configured prefix, dot-separated (`shop.orders.created`). */
  fullName(): string {
    return metricsState.prefix && !this.noPrefix ? `${metricsState.prefix}.${this.name}` : this.name;
  }
}
