import * as v from 'valibot';

/** Query strings of the history and events routes: times as ISO 8601 or epoch milliseconds. */
const DAY_MS = 86_400_000;

const time = v.pipe(
  v.string(),
  v.transform((s) => (/^\d+$/.test(s) ? Number(s) : Date.parse(s))),
  v.number(),
  v.check((n) => Number.isFinite(n), 'must be an ISO 8601 time or epoch milliseconds'),
);

const ordered = <T extends { from: number; to: number }>(q: T) => q.from < q.to;

export const RangeQuerySchema = (now: number) =>
  v.pipe(
    v.object({
      from: v.optional(time, String(now - DAY_MS)),
      to: v.optional(time, String(now)),
      service: v.optional(v.string()),
    }),
    v.check(ordered, 'from must be before to'),
  );

export const HistoryQuerySchema = (now: number) =>
  v.pipe(
    v.object({
      from: v.optional(time, String(now - DAY_MS)),
      to: v.optional(time, String(now)),
      limit: v.optional(
        v.pipe(
          v.string(),
          v.transform(Number),
          v.number('must be a number'),
          v.integer('must be a whole number'),
          v.minValue(1),
          v.maxValue(5_000),
        ),
        '1000',
      ),
      cursor: v.optional(v.string()),
    }),
    v.check(ordered, 'from must be before to'),
  );
