import type { TargetState } from './model.js';
import type { TargetRecord } from './target-schema.js';

/**
 * Which targets a run should probe. A target is due when its interval has passed since the start of the
 * run that last probed it, less a tolerance: schedules fire with some jitter, and without it a target
 * whose interval equals the schedule's period would be skipped every other tick. Intervals shorter than
 * the schedule's period are probed once per run (every minute in AWS; `VIGIL_PROBE_INTERVAL` locally).
 */
export function toleranceMs(intervalSeconds: number): number {
  return Math.min(intervalSeconds * 100, 10_000);
}

export function isDue(target: TargetRecord, state: TargetState | undefined, now: number): boolean {
  if (state?.lastRunAt === undefined) return true;
  return now - state.lastRunAt >= target.intervalSeconds * 1000 - toleranceMs(target.intervalSeconds);
}

/** Due targets, those never probed or longest waiting first, so a truncated run still serves the stalest. */
export function dueTargets(
  targets: readonly TargetRecord[],
  states: ReadonlyMap<string, TargetState>,
  now: number,
): TargetRecord[] {
  return targets
    .filter((t) => isDue(t, states.get(t.id), now))
    .sort(
      (a, b) => (states.get(a.id)?.lastRunAt ?? 0) - (states.get(b.id)?.lastRunAt ?? 0) || a.id.localeCompare(b.id),
    );
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
