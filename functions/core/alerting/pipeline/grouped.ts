import { reason } from '../../reason.js';
import type { StageDecision } from '../model.js';
import { type Candidate, humanDuration, iso, PASS, type PipelineContext } from './types.js';

const DEFAULT_GROUP_BY = ['service'];

/** The group a notification is timed with: its topic and the rule's `groupBy` label values. */
export function groupKeyOf(c: Candidate): string {
  const by = c.rule?.groupBy ?? DEFAULT_GROUP_BY;
  return [c.topic, ...by.map((l) => `${l}=${c.alert.labels[l] ?? ''}`)].join('|');
}

/**
 * `grouped`, Alertmanager's aggregation-group timing: the first notification of a new group waits
 * `groupWait` (others arriving meanwhile go out with it); after a flush, the group flushes at most every
 * `groupInterval`, so a new notification waits for the group's next tick. A group with no other firing
 * alert that has not flushed for `groupInterval` starts afresh. Repeats, escalations and flap notices
 * are not grouped.
 */
export function grouped(c: Candidate, ctx: PipelineContext): StageDecision {
  if (c.kind !== 'firing' && c.kind !== 'resolved' && c.kind !== 'nodata') return PASS;
  const key = groupKeyOf(c);
  const wait = c.rule?.groupWaitMs ?? 30_000;
  const interval = c.rule?.groupIntervalMs ?? 300_000;
  const last = ctx.groups.get(key)?.flushAt;
  const hold = (until: number, code: string, why: string): StageDecision =>
    until <= ctx.now
      ? { action: 'pass', reason: reason(code, why) }
      : { action: 'hold', until, reason: reason('grouped', `${why}; goes out at ${iso(until)}`) };

  if (last !== undefined && last >= ctx.now) {
    return hold(last, 'group-flush', `joins the pending flush of group ${key}`);
  }
  const othersFiring = [...ctx.alerts.values()].some(
    (a) =>
      a.id !== c.alert.id &&
      a.state === 'firing' &&
      a.severity === c.alert.severity &&
      groupKeyOf({ ...c, alert: a }) === key,
  );
  if (last === undefined || (!othersFiring && ctx.now - last >= interval)) {
    if (wait === 0) return PASS;
    return hold(ctx.now + wait, 'group-wait', `first of group ${key}: waits groupWait ${humanDuration(wait)}`);
  }
  const next = last + Math.ceil((ctx.now - last) / interval) * interval;
  return hold(
    next,
    'group-interval',
    `group ${key} flushed at ${iso(last)}: next flush after groupInterval ${humanDuration(interval)}`,
  );
}
