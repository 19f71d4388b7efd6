/**
 * Durations as rules write them: a whole number with a unit, `30s`, `5m`, `2h`, `1d`, `1w`, or several in
 * decreasing order as Prometheus writes them (`1h30m`). `0` and `0s` mean none (allowed for `for`, never for
 * a window). Anything else (`5 minutes`, `5`, `1.5h`, `-1m`) is refused with a sentence.
 */
const UNIT_MS = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 } as const;
const PATTERN = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** At most 400 days: longer than any retention Vigil keeps. */
export const MAX_DURATION_MS = 400 * UNIT_MS.d;

export const DURATION_MESSAGE = 'must be a duration such as "30s", "5m", "2h", "1d" or "1h30m"';

export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const match = PATTERN.exec(text);
  if (!match || text === '') return undefined;
  const [, w, d, h, m, s] = match;
  const ms =
    Number(w ?? 0) * UNIT_MS.w +
    Number(d ?? 0) * UNIT_MS.d +
    Number(h ?? 0) * UNIT_MS.h +
    Number(m ?? 0) * UNIT_MS.m +
    Number(s ?? 0) * UNIT_MS.s;
  return ms <= MAX_DURATION_MS ? ms : undefined;
}

/** `300000` → `5m`, `5400000` → `1h30m`: the shortest exact spelling (for messages and the API). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = Math.round(ms / 1_000) * 1_000;
  let out = '';
  for (const [unit, size] of Object.entries(UNIT_MS)) {
    if (unit === 'w') continue;
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out || '0s';
}
