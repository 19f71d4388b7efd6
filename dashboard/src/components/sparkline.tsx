/** A tiny SVG line of a series, drawn with attributes only (no inline style). */
export function Sparkline({ points, label }: { points: readonly (readonly [number, number])[]; label: string }) {
  if (points.length < 2) return <span class="muted">—</span>;
  const w = 120;
  const h = 28;
  const t0 = points[0]![0];
  const t1 = points[points.length - 1]![0];
  const max = Math.max(...points.map((p) => p[1]), 1e-9);
  const d = points
    .map(
      (p) => `${(((p[0] - t0) / Math.max(t1 - t0, 1)) * w).toFixed(1)},${(h - 2 - (p[1] / max) * (h - 4)).toFixed(1)}`,
    )
    .join(' ');
  return (
    <svg class="spark" viewBox={`0 0 ${w} ${h}`} width={w} height={h} role="img" aria-label={label}>
      <polyline points={d} fill="none" stroke="currentColor" stroke-width="1.5" />
    </svg>
  );
}
