import { DERIVED } from './derived-metrics.js';
import { mergeSteps, type SeriesRows } from './metric-query.js';
import type { Contribution } from './model.js';
import { mergeContribution } from './rollup-plan.js';
import { quantile } from './sketch.js';

/**
 * The dependency map, computed from the span-derived client series (`vigil.spans.client.duration`, tags
 * `peer` and `error`). The services list is kept as data (`service-summary.ts`).
 */
function total(rows: readonly SeriesRows[]): Contribution {
  const all: Contribution = {
    count: 0,
    sum: 0,
    min: Number.POSITIVE_INFINITY,
    max: Number.NEGATIVE_INFINITY,
    buckets: new Map(),
  };
  for (const c of mergeSteps(rows, Number.MAX_SAFE_INTEGER).values()) mergeContribution(all, c);
  return all;
}

const p95 = (c: Contribution) => (c.count && c.buckets?.size ? (quantile(c.buckets, 0.95, c) ?? null) : null);
const round = (x: number | null, digits = 4) => (x === null ? null : Number(x.toFixed(digits)));

export interface DependencyMap {
  readonly nodes: { id: string; kind: 'service' | 'external' }[];
  readonly edges: { source: string; target: string; calls: number; errors: number; p95Ms: number | null }[];
}

export function dependencyMap(known: readonly string[], clientSpans: ReadonlyMap<string, SeriesRows[]>): DependencyMap {
  const edges: DependencyMap['edges'] = [];
  const nodes = new Map<string, 'service' | 'external'>(known.map((s) => [s, 'service']));
  for (const [source, series] of clientSpans) {
    const byPeer = new Map<string, SeriesRows[]>();
    for (const s of series) {
      const peer = s.series.tags.peer;
      if (!peer) continue;
      byPeer.set(peer, [...(byPeer.get(peer) ?? []), s]);
    }
    for (const [target, rows] of byPeer) {
      const all = total(rows);
      if (!all.count) continue;
      const errors = total(rows.filter((s) => s.series.tags.error === 'true')).count;
      edges.push({ source, target, calls: all.count, errors, p95Ms: round(p95(all), 3) });
      if (!nodes.has(target)) nodes.set(target, 'external');
      if (!nodes.has(source)) nodes.set(source, 'service');
    }
  }
  return {
    nodes: [...nodes].map(([id, kind]) => ({ id, kind })).sort((a, b) => a.id.localeCompare(b.id)),
    edges: edges.sort((a, b) => `${a.source}>${a.target}`.localeCompare(`${b.source}>${b.target}`)),
  };
}

export { DERIVED };
