import { pathToFileURL } from 'node:url';
import {
  DAY_MS,
  HOUR_MS,
  judge,
  SLOT_HALF_WIDTH_MS,
  seasonalBaseline,
} from '../functions/core/alerting/rules/anomaly-baseline.js';

/**
 * Precision and recall of the anomaly rule's detector (seasonal median/MAD baseline, sensitivity 3) beside
 * a static 3-sigma band (mean ± 3σ of the whole training window) on labelled series generated here with a
 * seeded generator: daily and weekly seasonality with noise, plus injected spikes, level shifts and dips
 * (the labelled anomalies, only in the evaluated week; unlabelled spikes in the training weeks too, as
 * real history has them). Every 5-minute step of the evaluated week is one decision.
 * `npx tsx bench/anomaly-figures.ts` prints the table in docs/ALERTING.md; a test checks they agree.
 */
const STEP_MS = 300_000;
const TRAINING_DAYS = 14;
const START = Date.UTC(2026, 0, 5); // a Monday
const EVAL_FROM = START + TRAINING_DAYS * DAY_MS;
const EVAL_TO = EVAL_FROM + 7 * DAY_MS;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A normal deviate (Box–Muller). */
const gauss = (rand: () => number) => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

export type Kind = 'spikes' | 'level shifts' | 'dips' | 'seasonality only';
export const KINDS: readonly Kind[] = ['spikes', 'level shifts', 'dips', 'seasonality only'];

interface Labelled {
  readonly points: [number, number][];
  readonly anomalous: Set<number>;
}

/** Requests per second of a service: a daily cycle (quiet at night), weekends at 60 %, 5 % noise. */
function normal(t: number, base: number, rand: () => number): number {
  const hour = (t % DAY_MS) / HOUR_MS;
  const weekday = new Date(t).getUTCDay();
  const daily = 0.55 + 0.45 * Math.sin(((hour - 8) / 24) * 2 * Math.PI);
  const weekly = weekday === 0 || weekday === 6 ? 0.6 : 1;
  return base * daily * weekly * (1 + 0.05 * gauss(rand));
}

export function labelledSeries(kind: Kind, seed: number): Labelled {
  const rand = mulberry32(seed);
  const base = 50 + 150 * rand();
  const points: [number, number][] = [];
  for (let t = START; t < EVAL_TO; t += STEP_MS) points.push([t, normal(t, base, rand)]);
  const anomalous = new Set<number>();
  const at = (t: number) => Math.floor((t - START) / STEP_MS);
  const randomEvalStep = (len: number) => at(EVAL_FROM) + Math.floor(rand() * (at(EVAL_TO) - at(EVAL_FROM) - len));
  // Unlabelled history spikes: what makes a σ-based band wide.
  for (let i = 0; i < 6; i++) {
    const k = Math.floor(rand() * at(EVAL_FROM));
    points[k]![1] *= 3 + 2 * rand();
  }
  const mark = (k: number, len: number, f: (v: number) => number) => {
    for (let j = k; j < k + len; j++) {
      points[j]![1] = f(points[j]![1]);
      anomalous.add(points[j]![0]);
    }
  };
  if (kind === 'spikes') for (let i = 0; i < 8; i++) mark(randomEvalStep(1), 1, (v) => v * (1.6 + rand()));
  if (kind === 'level shifts') for (let i = 0; i < 2; i++) mark(randomEvalStep(36), 36, (v) => v * 1.5);
  if (kind === 'dips') for (let i = 0; i < 4; i++) mark(randomEvalStep(3), 3, (v) => v * 0.35);
  return { points, anomalous };
}

export interface Score {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
}

const add = (a: Score, b: Score): Score => ({ tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn });

function score(series: Labelled, decide: (t: number, v: number) => boolean): Score {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [t, v] of series.points) {
    if (t < EVAL_FROM) continue;
    const said = decide(t, v);
    const truth = series.anomalous.has(t);
    if (said && truth) tp++;
    else if (said) fp++;
    else if (truth) fn++;
  }
  return { tp, fp, fn };
}

/** What the anomaly rule reads at t: the hour around the same time on each of the 14 earlier days. */
function seasonal(series: Labelled, sensitivity: number) {
  const perDay = DAY_MS / STEP_MS;
  const half = SLOT_HALF_WIDTH_MS / STEP_MS;
  return (t: number, v: number) => {
    const k = (t - START) / STEP_MS;
    const history: [number, number][] = [];
    for (let d = 1; d <= TRAINING_DAYS; d++) {
      for (let j = k - d * perDay - half; j <= k - d * perDay + half; j++) if (j >= 0) history.push(series.points[j]!);
    }
    const b = seasonalBaseline(history, t, 3);
    return b ? judge(v, b, sensitivity, 'both').anomalous : false;
  };
}

function threeSigma(series: Labelled) {
  const training = series.points.filter(([t]) => t < EVAL_FROM).map((p) => p[1]);
  const mean = training.reduce((s, x) => s + x, 0) / training.length;
  const sd = Math.sqrt(training.reduce((s, x) => s + (x - mean) ** 2, 0) / (training.length - 1));
  return (_t: number, v: number) => Math.abs(v - mean) > 3 * sd;
}

export const SERIES_PER_KIND = 5;

type Row = { kind: Kind | 'all'; seasonal: Score; sigma: Score };
const computed = new Map<number, Row[]>();

export function anomalyFigures(sensitivity = 3): Row[] {
  const hit = computed.get(sensitivity);
  if (hit) return hit;
  const rows = KINDS.map((kind) => {
    let s: Score = { tp: 0, fp: 0, fn: 0 };
    let z: Score = { tp: 0, fp: 0, fn: 0 };
    for (let i = 0; i < SERIES_PER_KIND; i++) {
      const series = labelledSeries(kind, 1_000 * (KINDS.indexOf(kind) + 1) + i);
      s = add(s, score(series, seasonal(series, sensitivity)));
      z = add(z, score(series, threeSigma(series)));
    }
    return { kind, seasonal: s, sigma: z };
  });
  const all = rows.reduce(
    (a, r) => ({ kind: 'all' as const, seasonal: add(a.seasonal, r.seasonal), sigma: add(a.sigma, r.sigma) }),
    {
      kind: 'all' as const,
      seasonal: { tp: 0, fp: 0, fn: 0 },
      sigma: { tp: 0, fp: 0, fn: 0 },
    },
  );
  computed.set(sensitivity, [...rows, all]);
  return [...rows, all];
}

const ratio = (n: number, d: number) => (d === 0 ? '—' : (n / d).toFixed(2));
const cells = (s: Score) => `${ratio(s.tp, s.tp + s.fp)} | ${ratio(s.tp, s.tp + s.fn)} | ${s.fp}`;

export function figuresTable(): string {
  const lines = [
    '| Series (5 each, 2,016 steps evaluated per series) | Seasonal median/MAD: precision | recall | false alarms | Static 3σ: precision | recall | false alarms |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...anomalyFigures().map((r) => `| ${r.kind} | ${cells(r.seasonal)} | ${cells(r.sigma)} |`),
    ...anomalyFigures(4)
      .filter((r) => r.kind === 'all')
      .map((r) => `| all, sensitivity 4 | ${cells(r.seasonal)} | ${cells(r.sigma)} |`),
  ];
  return `${lines.join('\n')}\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.stdout.write(figuresTable());
