import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { formatNumber } from '../lib/format.js';

export interface ChartSeries {
  readonly label: string;
  readonly points: readonly (readonly [number, number])[];
}

export interface Marker {
  readonly at: number;
  readonly label: string;
  readonly tone: 'pass' | 'fail' | 'warn' | 'info';
}

export interface Band {
  readonly from: number;
  readonly to: number;
  readonly tone: 'fail' | 'warn';
}

const COLORS = ['#3b82f6', '#f59e0b', '#ef4444', '#10b981', '#8b5cf6'];
const TONES = { pass: '#16a34a', fail: '#dc2626', warn: '#d97706', info: '#6b7280' } as const;

/** Merges series on one sorted time axis (uPlot's columnar data), seconds as uPlot wants them. */
export function toColumns(series: readonly ChartSeries[]): uPlot.AlignedData {
  const times = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const cols = series.map((s) => {
    const col: (number | null)[] = times.map(() => null);
    for (const [t, v] of s.points) col[index.get(t)!] = v;
    return col;
  });
  return [times.map((t) => t / 1000), ...cols] as uPlot.AlignedData;
}

/**
 * A uPlot time-series chart. Deployments are vertical lines coloured by verdict and alerts shaded bands,
 * drawn on the canvas in uPlot's draw hook. The canvas gets a text alternative: the last value of each series.
 */
export function TimeChart(props: {
  title: string;
  series: readonly ChartSeries[];
  unit?: string;
  from: number;
  to: number;
  markers?: readonly Marker[];
  bands?: readonly Band[];
  height?: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const { series, from, to, markers = [], bands = [], unit = '' } = props;
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 280),
      height: props.height ?? 180,
      scales: { x: { time: true, min: from / 1000, max: to / 1000 } },
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      axes: [
        { stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.15)' } },
        {
          stroke: 'currentColor',
          grid: { stroke: 'rgba(128,128,128,0.15)' },
          size: 74,
          values: (_u, ticks) => ticks.map((v) => `${formatNumber(v)}${unit}`),
        },
      ],
      series: [
        {},
        ...series.map((s, i) => ({
          label: s.label,
          stroke: COLORS[i % COLORS.length],
          width: 2,
          points: { show: true, size: 4 },
          spanGaps: false,
          value: (_u: uPlot, v: number | null) => (v === null ? '—' : `${formatNumber(v)}${unit}`),
        })),
      ],
      hooks: {
        draw: [
          (u) => {
            const ctx = u.ctx;
            const top = u.bbox.top;
            const height = u.bbox.height;
            ctx.save();
            for (const b of bands) {
              const x0 = u.valToPos(b.from / 1000, 'x', true);
              const x1 = u.valToPos(b.to / 1000, 'x', true);
              ctx.fillStyle = b.tone === 'fail' ? 'rgba(220,38,38,0.12)' : 'rgba(217,119,6,0.12)';
              ctx.fillRect(x0, top, Math.max(x1 - x0, 2), height);
            }
            for (const m of markers) {
              const x = u.valToPos(m.at / 1000, 'x', true);
              ctx.strokeStyle = TONES[m.tone];
              ctx.lineWidth = 2 * devicePixelRatio;
              ctx.setLineDash([6, 4]);
              ctx.beginPath();
              ctx.moveTo(x, top);
              ctx.lineTo(x, top + height);
              ctx.stroke();
            }
            ctx.restore();
          },
        ],
      },
    };
    const chart = new uPlot(opts, toColumns(series), el);
    const resize = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(el.clientWidth, 280), height: opts.height }),
    );
    resize.observe(el);
    // Tests read the plotted data from here.
    (el as HTMLDivElement & { uplot?: uPlot }).uplot = chart;
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [series, from, to, markers, bands, unit, props.height]);

  const summary = series
    .map(
      (s) => `${s.label}: ${s.points.length ? `${formatNumber(s.points[s.points.length - 1]![1])}${unit}` : 'no data'}`,
    )
    .join(', ');
  const points = series.reduce((n, s) => n + s.points.length, 0);
  return (
    <figure class="chart" data-points={points}>
      <figcaption>
        {props.title}
        {markers.length > 0 && <span class="muted"> · {markers.map((m) => m.label).join(', ')}</span>}
      </figcaption>
      <div ref={ref} role="img" aria-label={`${props.title}: ${summary || 'no data'}`} />
      {points === 0 && <p class="muted chart-empty">No data in this range.</p>}
    </figure>
  );
}
