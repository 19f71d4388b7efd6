import type { HourRollup, ProbeResult, TargetState, TimeRange, TransitionEvent } from './model.js';
import { redactHeaders } from './redact-headers.js';
import { withOpenHour } from './rollup.js';
import type { TargetRecord } from './target-schema.js';
import { stateView } from './targets.js';
import { availabilityFromRollups, HOUR_MS, UPTIME_WINDOWS, uptimeWindows } from './uptime.js';

/**
 * The one view of each probing resource as the API answers it: times as ISO 8601, header values
 * redacted, the state and (for one target) its uptime windows. Pure: the handler reads, these shape.
 */
const iso = (ms: number) => new Date(ms).toISOString();

export function targetView(target: TargetRecord, state: TargetState | undefined) {
  return {
    ...redactHeaders(target),
    createdAt: iso(target.createdAt),
    updatedAt: iso(target.updatedAt),
    state: stateView(state),
  };
}

/** Targets by id, each with its state. */
export function targetList(targets: readonly TargetRecord[], states: readonly TargetState[]) {
  const byId = new Map(states.map((s) => [s.id, s]));
  return [...targets].sort((a, b) => a.id.localeCompare(b.id)).map((t) => targetView(t, byId.get(t.id)));
}

/** The hours one target's detail reads rollups for: every uptime window, plus the open hour. */
export function uptimeRange(now: number): TimeRange {
  return { from: now - (UPTIME_WINDOWS['30d'] + 1) * HOUR_MS, to: now };
}

export function targetDetailView(
  target: TargetRecord,
  state: TargetState | undefined,
  rollups: readonly HourRollup[],
  now: number,
) {
  return { ...targetView(target, state), uptime: uptimeWindows(withOpenHour(rollups, state?.hour), now) };
}

/** The hour-aligned range whose rollups summarise a history range. */
export function historyHours(range: TimeRange): TimeRange {
  return { from: Math.floor(range.from / HOUR_MS) * HOUR_MS, to: range.to };
}

export function historyView(
  targetId: string,
  range: TimeRange,
  page: { items: readonly ProbeResult[]; nextCursor?: string | undefined },
  transitions: readonly TransitionEvent[],
  rollups: readonly HourRollup[],
  state: TargetState | undefined,
) {
  const hours = historyHours(range);
  // The open hour (carried in the state) counts only when it falls inside the range.
  const open =
    state?.hour && state.hour.hourStart >= hours.from && state.hour.hourStart <= hours.to ? state.hour : undefined;
  return {
    targetId,
    from: iso(range.from),
    to: iso(range.to),
    items: page.items.map((r) => ({ ...r, at: iso(r.at) })),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    transitions: transitions.map((e) => ({ ...e, at: iso(e.at) })),
    summary: availabilityFromRollups(withOpenHour(rollups, open)),
  };
}

/** Transition events of every target, newest first, optionally of one service. */
export function eventsView(range: TimeRange, events: readonly TransitionEvent[], service?: string) {
  const items = events
    .filter((e) => !service || e.service === service)
    .sort((a, b) => b.at - a.at)
    .map((e) => ({ ...e, at: iso(e.at) }));
  return { from: iso(range.from), to: iso(range.to), items };
}
