import { getResource } from '../../config/resource.js';
import type { MetricPoint } from '../collect.js';
import type { MetricsBackend } from './backend.js';

const EMF_UNITS: Readonly<Record<string, string>> = {
  ms: 'Milliseconds',
  s: 'Seconds',
  us: 'Microseconds',
  bytes: 'Bytes',
  By: 'Bytes',
  count: 'Count',
  '%': 'Percent',
};
const MAX_VALUES = 100;
const MAX_METRICS = 100;
const MAX_DIMENSIONS = 30;

/**
 * CloudWatch Embedded Metric Format documents: one per tag set, tags as dimensions (plus `service`),
 * at most 100 metrics and 100 values per metric per document.
 */
export function toEmfDocuments(
  points: readonly MetricPoint[],
  namespace: string,
  service: string,
  timestamp: number,
): object[] {
  const groups = new Map<string, { dims: Record<string, string>; points: MetricPoint[] }>();
  for (const point of points) {
    const dims: Record<string, string> = { service };
    for (const [k, v] of Object.entries(point.tags).slice(0, MAX_DIMENSIONS - 1)) dims[k] = v;
    const key = JSON.stringify(dims);
    const group = groups.get(key) ?? { dims, points: [] };
    group.points.push(point);
    groups.set(key, group);
  }
  const docs: object[] = [];
  for (const { dims, points: groupPoints } of groups.values()) {
    // Each (metric, chunk of ≤100 values) goes into a document; documents hold ≤100 metrics.
    const entries: Array<{ name: string; unit: string; value: number | number[] }> = [];
    for (const p of groupPoints) {
      const unit = EMF_UNITS[p.unit ?? ''] ?? (p.type === 'counter' ? 'Count' : 'None');
      if (p.type === 'histogram') {
        const values = p.values ?? [];
        for (let i = 0; i < values.length; i += MAX_VALUES)
          entries.push({ name: p.name, unit, value: values.slice(i, i + MAX_VALUES) });
      } else {
        entries.push({ name: p.name, unit, value: p.value ?? 0 });
      }
    }
    const docsForGroup: Array<typeof entries> = [];
    for (const entry of entries) {
      let target = docsForGroup.find((d) => d.length < MAX_METRICS && !d.some((e) => e.name === entry.name));
      if (!target) {
        target = [];
        docsForGroup.push(target);
      }
      target.push(entry);
    }
    for (const group of docsForGroup) {
      const doc: Record<string, unknown> = {
        _aws: {
          Timestamp: timestamp,
          CloudWatchMetrics: [
            {
              Namespace: namespace,
              Dimensions: [Object.keys(dims)],
              Metrics: group.map((e) => ({ Name: e.name, Unit: e.unit })),
            },
          ],
        },
        ...dims,
      };
      for (const e of group) doc[e.name] = e.value;
      docs.push(doc);
    }
  }
  return docs;
}

/** EMF on stdout: CloudWatch Logs turns the lines into metrics, with no API call from the Lambda. */
export function emfBackend(
  namespace: () => string,
  write: (line: string) => void = (l) => process.stdout.write(l),
): MetricsBackend {
  return {
    name: 'emf',
    push(points) {
      if (points.length === 0) return;
      for (const doc of toEmfDocuments(points, namespace(), getResource().serviceName, Date.now())) {
        write(`${JSON.stringify(doc)}\n`);
      }
    },
  };
}
