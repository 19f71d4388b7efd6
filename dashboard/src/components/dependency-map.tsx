import type { DependencyMap } from '../api/dependencies.js';
import { formatDuration } from '../lib/format.js';
import { layoutGraph } from '../lib/graph-layout.js';

/** The service map as an SVG graph: callers left, callees right; edge labels carry calls, errors and p95. */
export function DependencyGraph({ map }: { map: DependencyMap }) {
  const w = 760;
  const h = Math.max(200, map.nodes.length * 50);
  const pos = layoutGraph(
    map.nodes.map((n) => n.id),
    map.edges,
  );
  const at = (id: string) => {
    const p = pos.get(id) ?? { x: 0.5, y: 0.5 };
    return { x: 90 + p.x * (w - 180), y: p.y * h };
  };
  return (
    <svg
      class="depmap"
      viewBox={`0 0 ${w} ${h}`}
      role="img"
      aria-label={`Dependency map: ${map.edges.map((e) => `${e.source} calls ${e.target}`).join('; ')}`}
    >
      <defs>
        <marker
          id="arrow"
          viewBox="0 0 10 10"
          refX="10"
          refY="5"
          markerWidth="8"
          markerHeight="8"
          orient="auto-start-reverse"
        >
          <path d="M 0 0 L 10 5 L 0 10 z" fill="currentColor" />
        </marker>
      </defs>
      {map.edges.map((e) => {
        const a = at(e.source);
        const b = at(e.target);
        return (
          <g key={`${e.source}>${e.target}`} class={e.errors > 0 ? 'edge edge-err' : 'edge'}>
            <line x1={a.x + 70} y1={a.y} x2={b.x - 70} y2={b.y} stroke="currentColor" marker-end="url(#arrow)" />
            <text x={(a.x + b.x) / 2} y={(a.y + b.y) / 2 - 6} text-anchor="middle">
              {e.calls} calls{e.errors ? `, ${e.errors} err` : ''} · p95 {formatDuration(e.p95Ms)}
            </text>
          </g>
        );
      })}
      {map.nodes.map((n) => {
        const p = at(n.id);
        return (
          <g key={n.id} class={`node node-${n.kind}`}>
            <rect x={p.x - 70} y={p.y - 16} width="140" height="32" rx="6" />
            <text x={p.x} y={p.y + 5} text-anchor="middle">
              {n.id.length > 18 ? `${n.id.slice(0, 17)}…` : n.id}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
