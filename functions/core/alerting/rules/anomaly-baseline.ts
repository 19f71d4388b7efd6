/**
 * The anomaly detector, pure: a seasonal baseline (the same time of day and day of week, ±30 minutes)
 * with a robust spread (median and MAD), so one spike in the history does not widen the band the way a
 * standard deviation does. A slot with too few points falls back to the same time of any day.
 */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** MAD × 1.4826 estimates σ for normal data. */
const MAD_TO_SIGMA = 1.4826;
/** A flat history (MAD 0) still gets a band of 1% of its median, so a change of 0.1% is not an anomaly. */
export const SPREAD_FLOOR_RATIO = 0.01;

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface Baseline {
  readonly median: number;
  /** σ-scaled robust spread: max(1.4826 × MAD, 1% of |median|). */
  readonly spread: number;
  readonly points: number;
  readonly slot: 'weekday-hour' | 'hour';
}

/** Half the width of a seasonal slot: points within 30 minutes of the same time of day (and weekday). */
export const SLOT_HALF_WIDTH_MS = 30 * 60_000;
const WEEK_MS = 7 * DAY_MS;
/** Distance of `t` from `at`'s time of day (or of week), circular. */
const offset = (at: number, t: number, period: number) => {
  const d = (((at - t) % period) + period) % period;
  return Math.min(d, period - d);
};

/**
 * The baseline at `at` from earlier points: those within 30 minutes of the same time of day and weekday
 * (enough of them), else those within 30 minutes of the same time of any day.
 */
export function seasonalBaseline(
  history: readonly (readonly [number, number])[],
  at: number,
  minSlotPoints: number,
): Baseline | undefined {
  const sameTime = history.filter(([t]) => t < at && offset(at, t, DAY_MS) <= SLOT_HALF_WIDTH_MS);
  const sameSlot = sameTime.filter(([t]) => offset(at, t, WEEK_MS) <= SLOT_HALF_WIDTH_MS);
  const [values, slot] =
    sameSlot.length >= minSlotPoints
      ? [sameSlot.map((p) => p[1]), 'weekday-hour' as const]
      : [sameTime.map((p) => p[1]), 'hour' as const];
  if (values.length < minSlotPoints) return undefined;
  const m = median(values);
  const mad = median(values.map((x) => Math.abs(x - m)));
  return {
    median: m,
    spread: Math.max(MAD_TO_SIGMA * mad, SPREAD_FLOOR_RATIO * Math.abs(m), 1e-12),
    points: values.length,
    slot,
  };
}

export interface Judgement {
  readonly anomalous: boolean;
  /** (value − median) / spread */
  readonly score: number;
  readonly low: number;
  readonly high: number;
}

export function judge(
  value: number,
  b: Baseline,
  sensitivity: number,
  direction: 'above' | 'below' | 'both',
): Judgement {
  const score = (value - b.median) / b.spread;
  const anomalous =
    direction === 'above'
      ? score > sensitivity
      : direction === 'below'
        ? score < -sensitivity
        : Math.abs(score) > sensitivity;
  return { anomalous, score, low: b.median - sensitivity * b.spread, high: b.median + sensitivity * b.spread };
}

/** Leaves out points whose step overlaps a deployment window (deploys are not normal behaviour to learn). */
export function withoutWindows(
  points: readonly (readonly [number, number])[],
  stepMs: number,
  windows: readonly { start: number; end: number }[],
): (readonly [number, number])[] {
  return points.filter(([t]) => !windows.some((w) => t < w.end && t + stepMs > w.start));
}

/** The training reads: the hour around `now` (±30 minutes) on each earlier day within `trainingMs`. */
export function trainingSlots(now: number, trainingMs: number): [number, number][] {
  const days = Math.floor(trainingMs / DAY_MS);
  return Array.from({ length: days }, (_, i) => {
    const centre = now - (i + 1) * DAY_MS;
    return [centre - SLOT_HALF_WIDTH_MS, centre + SLOT_HALF_WIDTH_MS] as [number, number];
  });
}
