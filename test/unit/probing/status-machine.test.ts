import { describe, expect, it } from 'vitest';
import type { Level, Outcome, Status, TargetState } from '../../../functions/core/probing/model.js';
import { initialState, nextState } from '../../../functions/core/probing/status-machine.js';

const T0 = Date.UTC(2026, 0, 1);
const thresholds = { failureThreshold: 3, successThreshold: 2 };
const outcome = (level: Level, reason = level === 'pass' ? undefined : `${level} reason`): Outcome => ({
  level,
  reason,
  latencyMs: 10,
});

/** Feeds a sequence of levels through the machine, one minute apart, and returns each status after it. */
function run(levels: Level[], t = thresholds, start: TargetState = initialState('x', T0)) {
  let state = start;
  const statuses: Status[] = [];
  const transitions: string[] = [];
  levels.forEach((level, i) => {
    const at = T0 + (i + 1) * 60_000;
    const step = nextState(state, outcome(level), t, at, at);
    state = step.state;
    statuses.push(state.status);
    if (step.transition) transitions.push(`${step.transition.from}>${step.transition.to}@${i}`);
  });
  return { statuses, transitions, state };
}

describe('status state machine', () => {
  it.each<[string, Level[], Status[]]>([
    ['first result decides from unknown', ['fail'], ['down']],
    [
      'a single blip does not flap',
      ['pass', 'fail', 'pass', 'fail', 'fail', 'pass'],
      ['up', 'up', 'up', 'up', 'up', 'up'],
    ],
    ['down after 3 consecutive failures', ['pass', 'fail', 'fail', 'fail'], ['up', 'up', 'up', 'down']],
    [
      'up again after 2 consecutive successes',
      ['fail', 'pass', 'fail', 'pass', 'pass'],
      ['down', 'down', 'down', 'down', 'up'],
    ],
    ['degraded after 3 warnings', ['pass', 'warn', 'warn', 'warn'], ['up', 'up', 'up', 'degraded']],
    [
      'a mixed worsening streak moves to its mildest status',
      ['pass', 'fail', 'warn', 'fail'],
      ['up', 'up', 'up', 'degraded'],
    ],
    ['a mixed improving streak moves to its harshest status', ['fail', 'pass', 'warn'], ['down', 'down', 'degraded']],
    [
      'degraded to down needs the failure threshold',
      ['warn', 'fail', 'fail', 'fail'],
      ['degraded', 'degraded', 'degraded', 'down'],
    ],
    ['degraded to up needs the success threshold', ['warn', 'pass', 'pass'], ['degraded', 'degraded', 'up']],
    [
      'a result at the current status resets a streak',
      ['pass', 'fail', 'fail', 'pass', 'fail', 'fail'],
      ['up', 'up', 'up', 'up', 'up', 'up'],
    ],
  ])('%s', (_name, levels, expected) => {
    expect(run(levels).statuses).toEqual(expected);
  });

  it('honours thresholds of 1 (no damping)', () => {
    expect(run(['pass', 'fail', 'pass'], { failureThreshold: 1, successThreshold: 1 }).statuses).toEqual([
      'up',
      'down',
      'up',
    ]);
  });

  it('records each transition once, at the result that completed the streak', () => {
    expect(run(['pass', 'fail', 'fail', 'fail', 'fail', 'pass', 'pass']).transitions).toEqual([
      'unknown>up@0',
      'up>down@3',
      'down>up@6',
    ]);
  });

  it('keeps the reason of the latest failure while down, and clears it when up', () => {
    let s = initialState('x', T0);
    s = nextState(s, outcome('fail', 'status 502'), thresholds, T0, T0).state;
    expect(s).toMatchObject({ status: 'down', reason: 'status 502', since: T0 });
    s = nextState(s, outcome('fail', 'timeout after 5000 ms'), thresholds, T0 + 1, T0 + 1).state;
    expect(s).toMatchObject({ status: 'down', reason: 'timeout after 5000 ms', since: T0 });
    s = nextState(s, outcome('pass'), thresholds, T0 + 2, T0 + 2).state;
    expect(s).toMatchObject({ status: 'down', streak: { direction: 'better', count: 1, toward: 'up' } });
    s = nextState(s, outcome('pass'), thresholds, T0 + 3, T0 + 3).state;
    expect(s).toMatchObject({ status: 'up', reason: undefined, since: T0 + 3, streak: undefined, lastRunAt: T0 + 3 });
  });

  it('transition carries the reason of the status it moves to', () => {
    const { state } = run(['pass']);
    const a = nextState(state, outcome('fail', 'status 500'), thresholds, T0, T0).state;
    const b = nextState(a, outcome('warn', 'latency 900 ms over 800 ms'), thresholds, T0, T0).state;
    const c = nextState(b, outcome('fail', 'status 503'), thresholds, T0, T0);
    expect(c.transition).toMatchObject({ from: 'up', to: 'degraded', reason: 'latency 900 ms over 800 ms' });
  });
});
