import { countDrop, DropReason } from '../internal/diagnostics.js';
import { Counter } from './counter.js';
import { Gauge } from './gauge.js';
import { registry } from './registry.js';
import { metricsState } from './state.js';

/** One series' data for a push flush: counters as deltas, gauges as values, histograms as raw values. */
export interface MetricPoint {
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly unit?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly value?: number;
  readonly values?: number[];
  readonly count?: number;
  readonly sum?: number;
  readonly min?: number;
  readonly max?: number;
}

function withDefaults(tags: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  const defaults = metricsState.defaultTags;
  for (const _ in defaults) return { ...defaults, ...tags };
  return tags;
}

/** Takes what changed since the last push flush and resets the deltas. */
export function collectPoints(): MetricPoint[] {
  const points: MetricPoint[] = [];
  if (!metricsState.enabled) return points;
  for (const family of registry.values()) {
    const name = family.fullName();
    const unit = family.unit === undefined ? {} : { unit: family.unit };
    if (family instanceof Counter) {
      for (const s of family.series.values()) {
        if (s.delta <= 0) continue;
        points.push({ name, type: 'counter', ...unit, tags: withDefaults(s.tags), value: s.delta });
        s.delta = 0;
      }
    } else if (family instanceof Gauge) {
      family.refresh();
      for (const s of family.series.values()) {
        if (!s.touched) continue;
        points.push({ name, type: 'gauge', ...unit, tags: withDefaults(s.tags), value: s.value });
      }
    } else {
      for (const s of family.series.values()) {
        if (s.pendingCount === 0) continue;
        points.push({
          name,
          type: 'histogram',
          ...unit,
          tags: withDefaults(s.tags),
          values: s.values,
          count: s.pendingCount,
          sum: s.pendingSum,
          min: s.pendingMin,
          max: s.pendingMax,
        });
        if (s.capped > 0) countDrop('metric', DropReason.histogramCap, s.capped);
        s.capped = 0;
        s.values = [];
        s.pendingCount = 0;
        s.pendingSum = 0;
        s.pendingMin = Number.POSITIVE_INFINITY;
        s.pendingMax = Number.NEGATIVE_INFINITY;
      }
    }
  }
  return points;
}
