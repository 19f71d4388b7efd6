import { describe, expect, it } from 'vitest';
import { silenceActiveSince, wallClock } from '../../../functions/core/alerting/pipeline/silence-window.js';
import { silence } from './pipeline-fixtures.js';

/** Recurring maintenance windows read on the wall clock of their zone, daylight saving time included. */
const year = { startsAt: Date.UTC(2026, 0, 1), endsAt: Date.UTC(2027, 0, 1) };
const sundayNight = silence({
  ...year,
  weekly: [{ days: ['sun'], start: '22:00', end: '02:00' }],
  timeZone: 'Europe/Berlin',
});

describe('weekly maintenance windows', () => {
  it('reads weekday and minute in the zone', () => {
    // 2026-07-05 is a Sunday; 20:30 UTC is 22:30 in Berlin (CEST, UTC+2).
    expect(wallClock(Date.UTC(2026, 6, 5, 20, 30), 'Europe/Berlin')).toEqual({ day: 6, minute: 22 * 60 + 30 });
    expect(wallClock(Date.UTC(2026, 6, 5, 20, 30), 'America/New_York')).toEqual({ day: 6, minute: 16 * 60 + 30 });
  });

  it.each([
    ['Sunday 21:59 Berlin (summer)', Date.UTC(2026, 6, 5, 19, 59), undefined],
    ['Sunday 22:00 Berlin (summer)', Date.UTC(2026, 6, 5, 20, 0), Date.UTC(2026, 6, 5, 20, 0)],
    ['Monday 01:59 Berlin, past midnight', Date.UTC(2026, 6, 5, 23, 59), Date.UTC(2026, 6, 5, 20, 0)],
    ['Monday 02:00 Berlin', Date.UTC(2026, 6, 6, 0, 0), undefined],
    ['Sunday 22:30 Berlin in winter (UTC+1)', Date.UTC(2026, 0, 4, 21, 30), Date.UTC(2026, 0, 4, 21, 0)],
    ['Sunday 22:30 UTC in winter is 23:30 Berlin', Date.UTC(2026, 0, 4, 22, 30), Date.UTC(2026, 0, 4, 21, 0)],
    ['Saturday 22:30 Berlin', Date.UTC(2026, 6, 4, 20, 30), undefined],
  ] as const)('%s', (_name, at, since) => {
    expect(silenceActiveSince(sundayNight, at)).toBe(since);
  });

  it('only between startsAt and endsAt', () => {
    const bounded = { ...sundayNight, endsAt: Date.UTC(2026, 6, 5, 20, 15) };
    expect(silenceActiveSince(bounded, Date.UTC(2026, 6, 5, 20, 10))).toBe(Date.UTC(2026, 6, 5, 20, 0));
    expect(silenceActiveSince(bounded, Date.UTC(2026, 6, 5, 20, 15))).toBeUndefined();
    const late = { ...sundayNight, startsAt: Date.UTC(2026, 6, 5, 21, 0) };
    expect(silenceActiveSince(late, Date.UTC(2026, 6, 5, 21, 30))).toBe(Date.UTC(2026, 6, 5, 21, 0));
  });

  it('a plain silence is active from startsAt to endsAt', () => {
    const s = silence({ startsAt: 1_000, endsAt: 2_000 });
    expect([999, 1_000, 1_999, 2_000].map((t) => silenceActiveSince(s, t))).toEqual([
      undefined,
      1_000,
      1_000,
      undefined,
    ]);
  });

  it('weekdays across several days, with 24:00 as the end of the day', () => {
    const weekdays = silence({
      ...year,
      weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '00:00', end: '24:00' }],
      timeZone: 'UTC',
    });
    expect(silenceActiveSince(weekdays, Date.UTC(2026, 6, 10, 23, 59))).toBe(Date.UTC(2026, 6, 10, 0, 0)); // Friday
    expect(silenceActiveSince(weekdays, Date.UTC(2026, 6, 11, 12, 0))).toBeUndefined(); // Saturday
  });
});
