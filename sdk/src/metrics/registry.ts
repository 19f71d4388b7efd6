import type { Counter } from './counter.js';
import type { Gauge } from './gauge.js';
import type { Histogram } from './histogram.js';

export type MetricFamily = Counter | Gauge | Histogram;

/** All metrics created in this process, by name. */
export const registry = new Map<string, MetricFamily>();
