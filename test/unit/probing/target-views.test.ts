import { describe, expect, it } from 'vitest';
import type { HourRollup, TargetState, TransitionEvent } from '../../../functions/core/probing/model.js';
import type { TargetRecord } from '../../../functions/core/probing/target-schema.js';
import { eventsView, historyView, targetList } from '../../../functions/core/probing/target-views.js';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 4, 5, 10, 30);
const target = (id: string) =>
  ({
    id,
    service: 's',
    url: 'http://x',
    headers: { authorization: 'Bearer secret' },
    createdAt: 0,
    updatedAt: HOUR,
  }) as unknown as TargetRecord;
const hour = (hourStart: number, up: number, down = 0): HourRollup => ({
  hourStart,
  up,
  degraded: 0,
  down,
  buckets: {},
});

describe('target views', () => {
  it('lists targets by id with their state, header values redacted and times in ISO 8601', () => {
    const items = targetList([target('b'), target('a')], [{ id: 'b', status: 'up', since: NOW } as TargetState]);
    expect(items.map((t) => [t.id, t.state.status])).toEqual([
      ['a', 'unknown'],
      ['b', 'up'],
    ]);
    expect(items[0]!.headers).toEqual({ authorization: '(redacted)' });
    expect(items[0]!.updatedAt).toBe('1970-01-01T01:00:00.000Z');
  });

  it('counts the open hour in a history summary only when it falls inside the range', () => {
    const state = { id: 'a', hour: hour(Date.UTC(2026, 4, 5, 10), 0, 6) } as unknown as TargetState;
    const page = { items: [] };
    const inside = historyView('a', { from: NOW - 2 * HOUR, to: NOW }, page, [], [hour(NOW - 2 * HOUR, 6)], state);
    expect(inside.summary).toMatchObject({ uptimePercent: 50, up: 6, down: 6 });
    const before = historyView('a', { from: NOW - 5 * HOUR, to: NOW - 3 * HOUR }, page, [], [], state);
    expect(before.summary).toMatchObject({ uptimePercent: null, up: 0, down: 0 });
    expect(before).toMatchObject({
      from: new Date(NOW - 5 * HOUR).toISOString(),
      to: new Date(NOW - 3 * HOUR).toISOString(),
    });
  });

  it('answers events newest first, of one service when asked', () => {
    const e = (at: number, service: string) => ({ at, service, targetId: 't' }) as unknown as TransitionEvent;
    const view = eventsView({ from: 0, to: NOW }, [e(1, 'a'), e(3, 'b'), e(2, 'a')], 'a');
    expect(view.items.map((i) => i.at)).toEqual([new Date(2).toISOString(), new Date(1).toISOString()]);
  });
});
