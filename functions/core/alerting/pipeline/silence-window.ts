import { type Silence, WEEKDAYS, type WeeklyWindow } from '../model.js';

/**
 * When a silence is in force. A plain silence is active from `startsAt` to `endsAt`. A recurring one
 * (`weekly`) is active inside its weekly windows, read on the wall clock of its time zone (through `Intl`,
 * so daylight saving time is the zone's), and only between `startsAt` and `endsAt`.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The weekday (0 = Monday) and minute of the day at `at` on the wall clock of `timeZone`. */
export function wallClock(at: number, timeZone: string): { day: number; minute: number } {
  const parts = formatter(timeZone).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = WEEKDAYS.indexOf(get('weekday').toLowerCase().slice(0, 3) as (typeof WEEKDAYS)[number]);
  return { day, minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

/** `HH:MM` → minutes after midnight (`24:00` → 1440). */
export const minuteOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** Minutes since the window's current occurrence began, or undefined when it is not in one. */
function minutesInto(w: WeeklyWindow, day: number, minute: number): number | undefined {
  const start = minuteOf(w.start);
  const end = minuteOf(w.end);
  const on = (d: number) => w.days.includes(WEEKDAYS[(d + 7) % 7]!);
  if (end > start) return on(day) && minute >= start && minute < end ? minute - start : undefined;
  // Past midnight: the evening part on a listed day, the morning part on the day after one.
  if (on(day) && minute >= start) return minute - start;
  if (on(day - 1) && minute < end) return minute + 1_440 - start;
  return undefined;
}

/** When the silence's current period began, or undefined when it is not active at `now`. */
export function silenceActiveSince(silence: Silence, now: number): number | undefined {
  if (now < silence.startsAt || now >= silence.endsAt) return undefined;
  if (!silence.weekly || silence.weekly.length === 0) return silence.startsAt;
  const { day, minute } = wallClock(now, silence.timeZone ?? 'UTC');
  let since: number | undefined;
  for (const w of silence.weekly) {
    const into = minutesInto(w, day, minute);
    if (into === undefined) continue;
    const began = Math.max(silence.startsAt, now - (into * 60_000 + (now % 60_000)));
    since = since === undefined ? began : Math.min(since, began);
  }
  return since;
}
