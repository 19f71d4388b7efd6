import { vigilPipe } from '../../export/vigil-pipe.js';
import type { WireMetric } from '../../export/wire.js';
import type { MetricPoint } from '../collect.js';
import type { MetricsBackend } from './backend.js';

/** A point as `/v1/ingest` expects it. */
export function toWireMetric(point: MetricPoint, timestamp: number): WireMetric {
  const base = {
    name: point.name,
    type: point.type,
    ...(point.unit === undefined ? {} : { unit: point.unit }),
    ...(Object.keys(point.tags).length ? { tags: { ...point.tags } } : {}),
    timestamp,
  };
  return point.type === 'histogram' ? { ...base, values: point.values ?? [] } : { ...base, value: point.value ?? 0 };
}

/** Batched HTTP to Vigil's `/v1/ingest`, sharing the pipe with logs and spans. */
export function vigilBackend(): MetricsBackend {
  return {
    name: 'vigil',
    push(points) {
      const now = Date.now();
      for (const point of points) vigilPipe.add({ kind: 'metric', data: toWireMetric(point, now) });
    },
    // During an outage, counters stay exact by aggregating in their series (bounded) instead of
    // queueing one point per flush interval.
    accepting: () => !vigilPipe.backedUp,
    flush: (timeoutMs) => vigilPipe.flush(timeoutMs),
  };
}
