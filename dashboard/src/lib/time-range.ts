/** Time ranges of the picker: presets relative to now, or a custom absolute span. Pure: `now` is a parameter. */
export const PRESETS = ['15m', '1h', '6h', '24h', '7d'] as const;
export type Preset = (typeof PRESETS)[number];

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export type TimeRange =
  | { readonly kind: 'preset'; readonly preset: Preset }
  | { readonly kind: 'custom'; readonly from: number; readonly to: number };

export const DEFAULT_RANGE: TimeRange = { kind: 'preset', preset: '1h' };

export function presetMs(preset: Preset): number {
  const unit = preset.slice(-1) as keyof typeof UNIT_MS;
  return Number(preset.slice(0, -1)) * UNIT_MS[unit];
}

export function isPreset(value: string): value is Preset {
  return (PRESETS as readonly string[]).includes(value);
}

/** The absolute span a range covers at `now`. */
export function resolveRange(range: TimeRange, now: number): { from: number; to: number } {
  if (range.kind === 'custom') return { from: range.from, to: range.to };
  return { from: now - presetMs(range.preset), to: now };
}

/** A step (seconds) that gives about `points` points, rounded to a friendly multiple of a minute. */
export function stepFor(from: number, to: number, points = 120): number {
  const raw = Math.max(1, (to - from) / 1000 / points);
  const steps = [60, 120, 300, 600, 900, 1800, 3600, 7200, 21_600, 43_200, 86_400];
  return steps.find((s) => s >= raw) ?? 86_400;
}

export function describeRange(range: TimeRange): string {
  if (range.kind === 'preset') return `last ${range.preset}`;
  return 'custom range';
}
