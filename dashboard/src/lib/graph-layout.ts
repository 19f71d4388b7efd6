/**
 * Positions for the dependency map: services in columns by their longest call path from the callers nobody
 * calls, spread evenly within a column. Cycles are broken at the edge that closes them (found depth-first from
 * the roots), so a loop does not push everything rightwards. Coordinates are in a 0–1 box.
 */
export interface Edge {
  readonly source: string;
  readonly target: string;
}

function acyclic(nodes: readonly string[], edges: readonly Edge[]): Edge[] {
  const out = new Map<string, string[]>(nodes.map((n) => [n, []]));
  for (const e of edges) out.get(e.source)?.push(e.target);
  const incoming = new Set(edges.filter((e) => e.source !== e.target).map((e) => e.target));
  const roots = [...nodes].sort().sort((a, b) => Number(incoming.has(a)) - Number(incoming.has(b)));
  const state = new Map<string, 'open' | 'done'>();
  const kept: Edge[] = [];
  const visit = (n: string) => {
    state.set(n, 'open');
    for (const t of out.get(n) ?? []) {
      if (state.get(t) === 'open') continue; // closes a cycle
      kept.push({ source: n, target: t });
      if (!state.has(t)) visit(t);
    }
    state.set(n, 'done');
  };
  for (const r of roots) if (!state.has(r)) visit(r);
  return kept;
}

export function layoutGraph(nodes: readonly string[], edges: readonly Edge[]): Map<string, { x: number; y: number }> {
  const dag = acyclic(nodes, edges);
  const level = new Map<string, number>(nodes.map((n) => [n, 0]));
  for (let i = 0; i < nodes.length; i++) {
    let changed = false;
    for (const e of dag) {
      const next = (level.get(e.source) ?? 0) + 1;
      if (next > (level.get(e.target) ?? 0)) {
        level.set(e.target, next);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const columns = new Map<number, string[]>();
  for (const n of nodes) columns.set(level.get(n) ?? 0, [...(columns.get(level.get(n) ?? 0) ?? []), n]);
  const maxLevel = Math.max(0, ...columns.keys());
  const pos = new Map<string, { x: number; y: number }>();
  for (const [col, members] of columns) {
    members.sort();
    members.forEach((n, i) => {
      pos.set(n, { x: maxLevel === 0 ? 0.5 : col / maxLevel, y: (i + 1) / (members.length + 1) });
    });
  }
  return pos;
}
