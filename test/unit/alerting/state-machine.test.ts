import { describe, expect, it } from 'vitest';
import { acknowledge, resolveManually } from '../../../functions/core/alerting/alert-actions.js';
import type { AlertRecord, AlertTransition, NoDataPolicy } from '../../../functions/core/alerting/model.js';
import { type AlertIdentity, newAlert, type StepPolicy, step } from '../../../functions/core/alerting/state-machine.js';

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
const MIN = 60_000;
const identity: AlertIdentity = {
  id: 'r1#a',
  ruleId: 'r1',
  labels: { service: 's' },
  severity: 'warning',
  annotations: {},
};
const policy = (extra: Partial<StepPolicy> = {}): StepPolicy => ({
  forMs: 0,
  keepFiringForMs: 0,
  noData: 'nodata',
  flapping: { maxChanges: 6, windowMs: 30 * MIN },
  ...extra,
});

/** Evaluates once a minute: `T` condition true, `F` false, `_` no data. Returns the state after each. */
function run(p: StepPolicy, evaluations: string, start: AlertRecord = newAlert(identity, T0)) {
  let alert = start;
  const states: string[] = [];
  const transitions: AlertTransition[] = [];
  [...evaluations.replaceAll(' ', '')].forEach((c, i) => {
    const obs =
      c === '_'
        ? ({ kind: 'nodata', description: 'no points in 5m' } as const)
        : ({ kind: 'value', condition: c === 'T', value: c === 'T' ? 900 : 100, description: 'p95 is x' } as const);
    const out = step(alert, obs, p, identity, T0 + i * MIN);
    alert = out.changed ? { ...out.next, version: out.next.version + 1 } : out.next;
    states.push(alert.flapping ? `${alert.state}~` : alert.state);
    transitions.push(...out.transitions);
  });
  return { states, transitions, alert };
}

const short = (s: string) =>
  ({ inactive: 'i', pending: 'p', firing: 'F', resolved: 'r', nodata: 'n' })[s.replace('~', '')] +
  (s.endsWith('~') ? '~' : '');
const statesOf = (p: StepPolicy, evaluations: string) => run(p, evaluations).states.map(short).join('');

describe('state machine: Prometheus for / keep_firing_for', () => {
  it.each<[string, Partial<StepPolicy>, string, string]>([
    ['for: 0 fires at the first true evaluation', {}, 'FTTF', 'iFFr'],
    ['for: 2m fires at the first evaluation 2m after activeAt', { forMs: 2 * MIN }, 'TTTTF', 'ppFFr'],
    ['for: 90s fires at the first evaluation at least 90s after (t+2m)', { forMs: 90_000 }, 'TTTT', 'ppFF'],
    ['for shorter than the interval fires at the second evaluation', { forMs: 10_000 }, 'TTT', 'pFF'],
    ['pending + false → inactive, and for starts over', { forMs: 2 * MIN }, 'TTFTTTT', 'ppippFF'],
    [
      'keepFiringFor: 2m resolves at the first false evaluation 2m after it went false',
      { keepFiringForMs: 2 * MIN },
      'TFFFF',
      'FFFrr',
    ],
    ['a true evaluation while keeping firing resets keepFiringSince', { keepFiringForMs: 2 * MIN }, 'TFTFFF', 'FFFFFr'],
    ['resolved + true → pending again', { forMs: MIN }, 'TTFTT', 'pFrpF'],
  ])('%s', (_name, p, evaluations, expected) => expect(statesOf(policy(p), evaluations)).toBe(expected));

  it('numbers transitions and gives each a reason', () => {
    const { transitions } = run(policy({ forMs: 2 * MIN }), 'TTTF');
    expect(transitions.map((t) => [t.seq, t.from, t.to, t.at - T0, t.reason.code, t.reason.message])).toEqual([
      [1, 'inactive', 'pending', 0, 'condition-true', 'p95 is x; fires if it holds for 2m'],
      [2, 'pending', 'firing', 2 * MIN, 'for-elapsed', 'p95 is x, for 2m (for: 2m)'],
      [3, 'firing', 'resolved', 3 * MIN, 'condition-false', 'p95 is x'],
    ]);
  });

  it('writes nothing for an inactive alert whose condition stays false', () => {
    const out = step(
      newAlert(identity, T0),
      { kind: 'value', condition: false, value: 1, description: 'x' },
      policy(),
      identity,
      T0,
    );
    expect(out.changed).toBe(false);
    expect(out.transitions).toEqual([]);
  });
});

describe('state machine: noData policies', () => {
  it.each<[NoDataPolicy, string, string]>([
    ['nodata', 'T__F', 'Fnni'],
    ['nodata', 'T__T', 'FnnF'],
    ['ok', 'T__T', 'FrrF'],
    ['alerting', '___F', 'FFFr'],
    ['keep', 'T__F', 'FFFr'],
    ['keep', 'F__T', 'iiiF'],
  ])('%s: %s → %s', (noData, evaluations, expected) =>
    expect(statesOf(policy({ noData }), evaluations)).toBe(expected),
  );

  it('nodata is entered once, with a reason', () => {
    const { transitions } = run(policy(), 'T___');
    expect(transitions.map((t) => [t.to, t.reason.code, t.reason.message])).toEqual([
      ['firing', 'condition-true', 'p95 is x'],
      ['nodata', 'no-data', 'no data: no points in 5m; shown as nodata until data returns'],
    ]);
  });

  it('alerting with for: 2m fires 2m after the data stopped', () => {
    expect(statesOf(policy({ noData: 'alerting', forMs: 2 * MIN }), '____')).toBe('ppFF');
  });
});

describe('state machine: flapping', () => {
  it('more than 6 changes in 30m marks the alert flapping once, and a notice follows when it settles', () => {
    const { states, transitions } = run(policy(), `TFTFTFTF${'F'.repeat(40)}`);
    const flaps = transitions.filter((t) => t.flapping);
    expect(flaps.map((t) => [t.flapping, t.reason.code, (t.at - T0) / MIN, t.to])).toEqual([
      ['started', 'flapping-started', 6, 'firing'],
      ['ended', 'flapping-ended', 34, 'resolved'],
    ]);
    expect(flaps[0]!.reason.message).toBe(
      'changed state 7 times in 30m (more than 6); notifications are held until it settles',
    );
    expect(flaps[1]!.reason.message).toBe('changed state 3 times in the last 30m; it has settled (resolved)');
    expect(states[6]).toBe('firing~');
    expect(states[33]).toBe('resolved~');
    expect(states[34]).toBe('resolved');
    // Transition numbers stay consecutive through the flapping notices.
    expect(transitions.map((t) => t.seq)).toEqual(transitions.map((_, i) => i + 1));
  });
});

describe('manual resolve and acknowledgement', () => {
  it('a manual resolve lasts until the condition clears, and a returning condition alerts again', () => {
    const firing = run(policy(), 'TT').alert;
    const { next, transition } = resolveManually(firing, { by: 'ana', comment: 'known' }, T0 + 2 * MIN);
    expect([transition.to, transition.reason.code, transition.seq]).toEqual(['resolved', 'manual-resolve', 2]);
    const after = run(policy(), 'TTTFT', { ...next, version: next.version + 1 });
    expect(after.states.map(short).join('')).toBe('rrrrF');
    expect(after.transitions.map((t) => [t.to, t.seq])).toEqual([['firing', 3]]);
  });

  it('acknowledging changes no state, and resolving ends it', () => {
    const firing = run(policy(), 'T').alert;
    const acked = acknowledge(firing, { by: 'ana' }, T0 + MIN);
    expect([acked.state, acked.ack?.by]).toEqual(['firing', 'ana']);
    const after = run(policy(), 'TF', acked);
    expect(after.states).toEqual(['firing', 'resolved']);
    expect(after.alert.ack).toBeUndefined();
  });

  it('refuses to resolve what is not open', () => {
    expect(() => resolveManually(newAlert(identity, T0), { by: 'x' }, T0)).toThrow(
      'alert r1#a is inactive; there is nothing to resolve',
    );
  });
});
