/**
 * Times on the wire: epoch milliseconds or ISO 8601 in ingest, plus relative forms (`-1h`, `now`) in
 * queries. Everything inside Vigil is epoch ms.
 */
const ISO_PATTERN = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const DURATION_PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** Years 2000..2100 in epoch ms: anything else is a unit mistake (seconds or nanoseconds). */
export const MIN_EPOCH_MS = 946_684_800_000;
export const MAX_EPOCH_MS = 4_102_444_800_000;

export function parseIso(text: string): number | undefined {
  if (!ISO_PATTERN.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

/** `90s`, `5m`, `1h`, `250ms`, or a bare number of seconds. */
export function parseDurationMs(text: string): number | undefined {
  const bare = Number(text);
  if (text.trim() !== '' && Number.isFinite(bare)) return bare * 1_000;
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** A query time: epoch ms, ISO 8601, `now`, or relative to now such as `-1h`, `-15m`, `-7d`. */
export function parseQueryTime(text: string, now: number): number | undefined {
  const t = text.trim();
  if (t === 'now') return now;
  if (t.startsWith('-') || t.startsWith('now-')) {
    const ms = parseDurationMs(t.replace(/^now/, '').slice(1));
    return ms === undefined ? undefined : now - ms;
  }
  if (/^\d+$/.test(t)) {
    const ms = Number(t);
    return ms >= MIN_EPOCH_MS && ms <= MAX_EPOCH_MS ? ms : undefined;
  }
  return parseIso(t);
}

export function alignDown(ms: number, stepMs: number): number {
  return Math.floor(ms / stepMs) * stepMs;
}
