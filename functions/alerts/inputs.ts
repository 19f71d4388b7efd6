import * as v from 'valibot';
import { MatcherSchema } from '../core/alerting/matchers.js';
import { ALERT_STATES, SEVERITIES } from '../core/alerting/model.js';

/**
 * Request bodies and queries of the alert and silence routes. Unknown fields are refused with their name;
 * times are ISO 8601 with a zone (or epoch milliseconds). Limits: 20 matchers a silence, 7 weekly windows,
 * comments up to 1,000 characters, a silence at most a year long.
 */
const strict = <T extends v.ObjectEntries>(entries: T) =>
  v.strictObject(entries, (i) => (i.expected === 'never' ? 'unknown field' : 'must be an object'));

const text = (max: number) =>
  v.pipe(
    v.string('must be a string'),
    v.trim(),
    v.minLength(1, 'must not be empty'),
    v.maxLength(max, `must be at most ${max} characters`),
  );

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A time: an ISO 8601 date-time with a zone, or epoch milliseconds. */
export const TimeSchema = v.pipe(
  v.union(
    [
      v.pipe(v.number(), v.integer(), v.minValue(0)),
      v.pipe(
        v.string(),
        v.regex(ISO),
        v.check((s) => !Number.isNaN(Date.parse(s))),
      ),
    ],
    'must be an ISO 8601 date-time with a zone (2026-01-05T12:00:00Z) or epoch milliseconds',
  ),
  v.transform((t) => (typeof t === 'number' ? t : Date.parse(t))),
);

/** An optional comment: an empty one (a form left blank) counts as none. */
const comment = v.optional(
  v.pipe(v.string('must be a string'), v.trim(), v.maxLength(1_000, 'must be at most 1000 characters')),
);

export const AckSchema = strict({
  by: text(100),
  comment,
  until: v.optional(TimeSchema),
});

export const ResolveSchema = strict({ by: text(100), comment });

export const UnackSchema = v.optional(strict({ by: v.optional(text(100)), comment }), {});

export const AlertQuerySchema = v.looseObject({
  state: v.optional(v.picklist(ALERT_STATES, `must be one of: ${ALERT_STATES.join(', ')}`)),
  severity: v.optional(v.picklist(SEVERITIES, `must be one of: ${SEVERITIES.join(', ')}`)),
  service: v.optional(text(200)),
});

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

const WeeklySchema = strict({
  days: v.pipe(
    v.array(v.picklist(WEEKDAYS, `must be one of: ${WEEKDAYS.join(', ')}`), 'must be an array'),
    v.minLength(1, 'must list at least one day'),
  ),
  start: v.pipe(v.string('must be a string'), v.regex(CLOCK, 'must be HH:MM (00:00–23:59)')),
  end: v.pipe(v.string('must be a string'), v.regex(CLOCK, 'must be HH:MM (00:00–24:00)')),
});

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

export const MAX_SILENCE_MS = 366 * 86_400_000;

export const SilenceSchema = v.pipe(
  strict({
    matchers: v.pipe(
      v.array(MatcherSchema, 'must be an array'),
      v.minLength(1, 'must have at least one matcher'),
      v.maxLength(20, 'must have at most 20 matchers'),
    ),
    startsAt: v.optional(TimeSchema),
    endsAt: TimeSchema,
    comment: text(1_000),
    createdBy: text(100),
    weekly: v.optional(
      v.pipe(v.array(WeeklySchema, 'must be an array'), v.maxLength(7, 'must have at most 7 windows')),
    ),
    timeZone: v.optional(
      v.pipe(v.string('must be a string'), v.check(isTimeZone, 'must be an IANA time zone (Europe/Berlin)')),
    ),
  }),
);
