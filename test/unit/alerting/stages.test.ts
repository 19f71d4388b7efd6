import { describe, expect, it } from 'vitest';
import { matches } from '../../../functions/core/alerting/matchers.js';
import type { StageDecision } from '../../../functions/core/alerting/model.js';
import { kindOf } from '../../../functions/core/alerting/pipeline/candidates.js';
import { causedBy } from '../../../functions/core/alerting/pipeline/caused-by.js';
import { deployWindow } from '../../../functions/core/alerting/pipeline/deploy-window.js';
import { escalated, escalationCandidates } from '../../../functions/core/alerting/pipeline/escalated.js';
import { flapping } from '../../../functions/core/alerting/pipeline/flapping.js';
import { grouped, groupKeyOf } from '../../../functions/core/alerting/pipeline/grouped.js';
import { inhibited } from '../../../functions/core/alerting/pipeline/inhibited.js';
import { repeatCandidate, repeatDue } from '../../../functions/core/alerting/pipeline/repeat-due.js';
import { resolvedUnnotified } from '../../../functions/core/alerting/pipeline/resolved-unnotified.js';
import { silenced } from '../../../functions/core/alerting/pipeline/silenced.js';
import { throttled } from '../../../functions/core/alerting/pipeline/throttled.js';
import { alert, candidate, ctx, MIN, notified, rule, silence, T0 } from './pipeline-fixtures.js';

/** action and reason code (and `until` / `into` when there is one): what each case pins down. */
const short = (d: StageDecision) => ({
  action: d.action,
  code: d.reason?.code,
  ...(d.action === 'hold' && d.until !== undefined ? { until: d.until } : {}),
  ...(d.action === 'fold' ? { into: d.into } : {}),
});

describe('matchers', () => {
  it.each([
    ['=', 'checkout', 'checkout', true],
    ['=', 'checkout', 'cart', false],
    ['!=', 'checkout', 'cart', true],
    ['=~', 'check.*|cart', 'cart', true],
    ['=~', 'cart', 'cart-api', false], // anchored at both ends
    ['!~', 'cart', 'cart-api', true],
    ['!~', 'cart|checkout', 'checkout', false],
    ['=', '', undefined, true], // a missing label is the empty string
  ] as const)('%s %s on %s → %s', (op, value, actual, expected) => {
    const labels: Record<string, string> = actual === undefined ? {} : { service: actual };
    expect(matches({ label: 'service', op, value }, labels)).toBe(expected);
  });
});

describe('which transitions notify', () => {
  const r = (code: string) => ({ code, message: '' });
  it.each([
    ['inactive', 'pending', r('condition-true'), undefined, undefined],
    ['pending', 'firing', r('for-elapsed'), undefined, 'firing'],
    ['inactive', 'firing', r('condition-true'), undefined, 'firing'],
    ['pending', 'inactive', r('condition-false'), undefined, undefined],
    ['firing', 'resolved', r('keep-firing-elapsed'), undefined, 'resolved'],
    ['firing', 'resolved', r('manual-resolve'), undefined, 'resolved'],
    ['firing', 'inactive', r('rule-deleted'), undefined, 'resolved'],
    ['inactive', 'nodata', r('no-data'), undefined, 'nodata'],
    ['nodata', 'inactive', r('data-returned'), undefined, undefined],
    ['resolved', 'pending', r('condition-true'), undefined, undefined],
    ['firing', 'firing', r('flapping-started'), 'started', 'flapping-started'],
    ['resolved', 'resolved', r('flapping-ended'), 'ended', 'flapping-ended'],
  ] as const)('%s → %s (%o)', (from, to, reason, flap, kind) => {
    expect(kindOf({ from, to, reason, ...(flap ? { flapping: flap } : {}) })).toBe(kind);
  });
});

describe('silenced', () => {
  const firing = alert();
  it.each([
    ['an active silence matching', [silence()], 'firing', undefined, { action: 'suppress', code: 'silenced' }],
    [
      'a silence not matching',
      [silence({ matchers: [{ label: 'service', op: '=', value: 'cart' }] })],
      'firing',
      undefined,
      { action: 'pass' },
    ],
    ['a silence that has not begun', [silence({ startsAt: T0 + MIN })], 'firing', undefined, { action: 'pass' }],
    ['a silence that ended', [silence({ endsAt: T0 })], 'firing', undefined, { action: 'pass' }],
    [
      'a regex silence',
      [silence({ matchers: [{ label: 'service', op: '=~', value: 'check.*' }] })],
      'firing',
      undefined,
      { action: 'suppress', code: 'silenced' },
    ],
    [
      'resolved, firing notified before the silence began',
      [silence()],
      'resolved',
      T0 - 20 * MIN,
      { action: 'pass', code: 'resolved-through-silence' },
    ],
    [
      'resolved, firing notified after the silence began',
      [silence()],
      'resolved',
      T0 - 5 * MIN,
      { action: 'suppress', code: 'silenced' },
    ],
    ['resolved, firing never notified', [silence()], 'resolved', undefined, { action: 'suppress', code: 'silenced' }],
  ] as const)('%s', (_name, silences, kind, firingAt, expected) => {
    const a = kind === 'resolved' ? alert({ state: 'resolved', seq: 3 }) : firing;
    const c = candidate(a, { kind });
    const state =
      firingAt === undefined ? [] : [notified(a.id, { firing: { seq: 2, at: firingAt }, lastAt: firingAt })];
    expect(short(silenced(c, ctx({ silences: [...silences], notified: state })))).toEqual(expected);
  });

  it('the resolved notice through a silence can be turned off', () => {
    const a = alert({ state: 'resolved', seq: 3 });
    const c = ctx({ silences: [silence()], notified: [notified(a.id, { firing: { seq: 2, at: T0 - 20 * MIN } })] });
    const off = { ...c, options: { ...c.options, resolvedThroughSilence: false } };
    expect(short(silenced(candidate(a, { kind: 'resolved' }), off))).toEqual({ action: 'suppress', code: 'silenced' });
  });

  it('names the silence, its end and its comment', () => {
    const d = silenced(candidate(alert()), ctx({ silences: [silence()] }));
    expect(d.reason?.message).toBe(
      'silenced by sil-1 until 2026-12-02T13:00:00.000Z (service="checkout"): db migration',
    );
  });
});

describe('inhibited (default rule: critical inhibits warning of the same service and group)', () => {
  const warning = alert({ id: 'slow:checkout', ruleId: 'slow', severity: 'warning' });
  const critical = alert({ id: 'down:checkout', ruleId: 'down', severity: 'critical' });
  it.each([
    ['a firing critical of the same service', [critical], warning, { action: 'suppress', code: 'inhibited' }],
    [
      'a critical of another service',
      [alert({ id: 'down:cart', ruleId: 'down', labels: { service: 'cart' } })],
      warning,
      { action: 'pass' },
    ],
    ['a critical that is only pending', [{ ...critical, state: 'pending' as const }], warning, { action: 'pass' }],
    [
      'a critical in another rule group',
      [alert({ id: 'down:checkout', ruleId: 'down', labels: { group: 'db' } })],
      warning,
      { action: 'pass' },
    ],
    [
      'a critical target is never inhibited by the default rule',
      [alert({ id: 'other:checkout', ruleId: 'other' })],
      critical,
      { action: 'pass' },
    ],
  ] as const)('%s', (_name, others, target, expected) => {
    expect(short(inhibited(candidate(target), ctx({ alerts: [...others, target] })))).toEqual(expected);
  });

  it('lets the resolved notice of a notified firing through', () => {
    const resolved = { ...warning, state: 'resolved' as const, seq: 3 };
    const c = ctx({
      alerts: [critical, resolved],
      notified: [notified(warning.id, { firing: { seq: 2, at: T0 - MIN } })],
    });
    expect(short(inhibited(candidate(resolved, { kind: 'resolved' }), c))).toEqual({
      action: 'pass',
      code: 'resolved-through-inhibition',
    });
  });
});

describe('caused-by', () => {
  const targets = [
    { id: 'db', service: 'postgres', dependsOn: [] },
    { id: 'api', service: 'checkout', dependsOn: ['db'] },
    { id: 'web', service: 'storefront', dependsOn: ['api'] },
  ];
  const dbDown = alert({ id: 'health:db', ruleId: 'health', labels: { service: 'postgres', target: 'db' } });
  const apiDown = alert({ id: 'health:api', ruleId: 'health', labels: { service: 'checkout', target: 'api' } });
  const webDown = alert({ id: 'health:web', ruleId: 'health', labels: { service: 'storefront', target: 'web' } });
  const latency = alert({ id: 'latency:checkout' });
  it.each([
    [
      'a target whose dependency is down',
      apiDown,
      [dbDown, apiDown],
      { action: 'fold', code: 'caused-by', into: 'health:db' },
    ],
    [
      'a chain folds into its root',
      webDown,
      [dbDown, apiDown, webDown],
      { action: 'fold', code: 'caused-by', into: 'health:db' },
    ],
    [
      'a service alert whose target depends on a down one',
      latency,
      [dbDown, latency],
      { action: 'fold', code: 'caused-by', into: 'health:db' },
    ],
    ['a dependency that is up', apiDown, [apiDown], { action: 'pass' }],
    [
      'a dependency that is only pending',
      apiDown,
      [{ ...dbDown, state: 'pending' as const }, apiDown],
      { action: 'pass' },
    ],
    ['the root itself', dbDown, [dbDown, apiDown], { action: 'pass' }],
  ] as const)('%s', (_name, a, alerts, expected) => {
    expect(short(causedBy(candidate(a), ctx({ alerts: [...alerts], targets })))).toEqual(expected);
  });

  it('says which dependency is down', () => {
    const d = causedBy(candidate(apiDown), ctx({ alerts: [dbDown, apiDown], targets }));
    expect(d.reason?.message).toBe('api depends on db, which is down (alert health:db)');
  });
});

describe('resolved-unnotified', () => {
  const resolved = alert({ state: 'resolved', seq: 3 });
  it.each([
    ['firing notified', { firing: { seq: 2, at: T0 - MIN } }, { action: 'pass' }],
    ['firing never notified', {}, { action: 'suppress', code: 'resolved-unnotified' }],
    [
      'firing still held for later',
      { firing: { seq: 2, at: T0 + MIN } },
      { action: 'suppress', code: 'resolved-unnotified' },
    ],
  ] as const)('%s', (_name, state, expected) => {
    const c = ctx({ notified: [notified(resolved.id, state)] });
    expect(short(resolvedUnnotified(candidate(resolved, { kind: 'resolved' }), c))).toEqual(expected);
  });
});

describe('flapping', () => {
  it.each([
    ['a steady alert', false, 'firing', { action: 'pass' }],
    ['a flapping alert', true, 'firing', { action: 'hold', code: 'flapping' }],
    ['the flapping notice itself', true, 'flapping-started', { action: 'pass', code: 'flapping-started' }],
    ['the settle notice', false, 'flapping-ended', { action: 'pass', code: 'flapping-ended' }],
  ] as const)('%s', (_name, isFlapping, kind, expected) => {
    const a = alert({ flapping: isFlapping, changes: [T0 - 3 * MIN, T0 - 2 * MIN, T0 - MIN] });
    expect(short(flapping(candidate(a, { kind }), ctx()))).toEqual(expected);
  });
});

describe('deploy-window', () => {
  const deploy = { verificationId: 'v-7', version: '1.4.0', environment: 'prod', startedAt: T0 - 3 * MIN };
  it.each([
    ['no verification running', 'hold', {}, { action: 'pass' }],
    ['another service deploying', 'hold', { cart: [deploy] }, { action: 'pass' }],
    ['duringDeploy: hold', 'hold', { checkout: [deploy] }, { action: 'hold', code: 'deploy-window', until: T0 + MIN }],
    ['duringDeploy: notify', 'notify', { checkout: [deploy] }, { action: 'pass', code: 'deploy-window' }],
  ] as const)('%s', (_name, duringDeploy, deploys, expected) => {
    const c = candidate(alert(), { rule: rule({ duringDeploy }) });
    expect(short(deployWindow(c, ctx({ deploys: { ...deploys } })))).toEqual(expected);
  });

  it('names the verification', () => {
    const d = deployWindow(candidate(alert()), ctx({ deploys: { checkout: [deploy] } }));
    expect(d.reason?.message).toBe(
      'held during verification v-7 of 1.4.0 (prod) running since 2026-12-02T11:57:00.000Z (duringDeploy: hold)',
    );
  });
});

describe('grouped (Alertmanager timing: groupWait 30 s, groupInterval 5 min)', () => {
  const a = alert();
  const key = groupKeyOf(candidate(a));
  const other = alert({ id: 'errors:checkout', ruleId: 'errors' });
  it('keys on topic and groupBy labels', () => {
    expect(key).toBe('critical|service=checkout');
    expect(groupKeyOf(candidate(a, { rule: rule({ groupBy: ['service', 'route'] }) }))).toBe(
      'critical|service=checkout|route=',
    );
  });
  it.each([
    ['a new group waits groupWait', [a], undefined, { action: 'hold', code: 'grouped', until: T0 + 30_000 }],
    ['joins a pending flush', [a, other], T0 + 10_000, { action: 'hold', code: 'grouped', until: T0 + 10_000 }],
    ['goes out with a flush due now', [a, other], T0, { action: 'pass', code: 'group-flush' }],
    [
      'waits for the next groupInterval tick',
      [a, other],
      T0 - 2 * MIN,
      { action: 'hold', code: 'grouped', until: T0 + 3 * MIN },
    ],
    ['on a tick, goes out now', [a, other], T0 - 5 * MIN, { action: 'pass', code: 'group-interval' }],
    ['an idle group starts afresh', [a], T0 - 6 * MIN, { action: 'hold', code: 'grouped', until: T0 + 30_000 }],
  ] as const)('%s', (_name, alerts, flushAt, expected) => {
    const groups = flushAt === undefined ? [] : [{ key, flushAt }];
    expect(short(grouped(candidate(a), ctx({ alerts: [...alerts], groups })))).toEqual(expected);
  });
  it('does not time repeats and escalations, nor a group with groupWait 0', () => {
    expect(short(grouped(candidate(a, { kind: 'repeat' }), ctx({ alerts: [a] })))).toEqual({ action: 'pass' });
    const noWait = candidate(a, { rule: rule({ groupWaitMs: 0 }) });
    expect(short(grouped(noWait, ctx({ alerts: [a] })))).toEqual({ action: 'pass' });
  });
});

describe('throttled (throttlePeriod 300 s)', () => {
  const a = alert({ state: 'resolved', seq: 3 });
  it.each([
    ['never notified', undefined, 'resolved', { action: 'pass' }],
    ['notified 6 min ago', T0 - 6 * MIN, 'resolved', { action: 'pass' }],
    ['notified exactly 5 min ago', T0 - 5 * MIN, 'resolved', { action: 'pass' }],
    ['notified 2 min ago', T0 - 2 * MIN, 'resolved', { action: 'hold', code: 'throttled', until: T0 + 3 * MIN }],
    ['an escalation is not throttled', T0 - 2 * MIN, 'escalation', { action: 'pass' }],
  ] as const)('%s', (_name, lastAt, kind, expected) => {
    const c = ctx({ notified: lastAt === undefined ? [] : [notified(a.id, { lastAt })] });
    expect(short(throttled(candidate(a, { kind }), c))).toEqual(expected);
  });
});

describe('repeat-due (repeatInterval 4 h)', () => {
  const H = 3_600_000;
  const a = alert({ seq: 2 });
  it.each([
    ['3 h after the firing notice', 3 * H, 0, undefined],
    ['4 h after', 4 * H, 0, 'latency:checkout#2#repeat-1'],
    ['9 h after, first repeat done', 9 * H, 1, 'latency:checkout#2#repeat-2'],
    ['9 h after, second repeat done', 9 * H, 2, undefined],
  ] as const)('%s', (_name, since, done, id) => {
    const state = notified(a.id, { firing: { seq: 2, at: T0 - since }, stepsSeq: 2, repeats: done });
    expect(repeatCandidate(a, ctx({ alerts: [a], notified: [state] }))?.id).toBe(id);
  });
  it('repeats only the episode whose firing was notified, and only while firing', () => {
    const old = notified(a.id, { firing: { seq: 1, at: T0 - 5 * H } });
    expect(repeatCandidate(a, ctx({ notified: [old] }))).toBeUndefined();
    const resolved = { ...a, state: 'resolved' as const };
    const state = notified(a.id, { firing: { seq: 2, at: T0 - 5 * H } });
    expect(repeatCandidate(resolved, ctx({ notified: [state] }))).toBeUndefined();
  });
  it('an acknowledged alert is not repeated; an expired acknowledgement no longer stops it', () => {
    const acked = { ...a, ack: { by: 'ana', at: T0 - H } };
    const c = candidate(acked, { kind: 'repeat', id: 'latency:checkout#2#repeat-1' });
    expect(short(repeatDue(c, ctx()))).toEqual({ action: 'suppress', code: 'acknowledged' });
    const expired = { ...a, ack: { by: 'ana', at: T0 - H, until: T0 - 1 } };
    expect(short(repeatDue({ ...c, alert: expired }, ctx()))).toEqual({ action: 'pass', code: 'repeat-due' });
  });
});

describe('escalated', () => {
  const steps = [
    { afterMs: 15 * MIN, topic: 'escalation' },
    { afterMs: 45 * MIN, topic: 'critical' },
  ];
  const r = rule({ escalation: steps });
  it.each([
    ['10 min firing', 10 * MIN, 0, []],
    ['15 min firing', 15 * MIN, 0, ['latency:checkout#2#escalation-1 → escalation']],
    [
      '50 min firing, nothing done',
      50 * MIN,
      0,
      ['latency:checkout#2#escalation-1 → escalation', 'latency:checkout#2#escalation-2 → critical'],
    ],
    ['50 min firing, step 1 done', 50 * MIN, 1, ['latency:checkout#2#escalation-2 → critical']],
    ['50 min firing, both done', 50 * MIN, 2, []],
  ] as const)('%s', (_name, firingFor, done, expected) => {
    const a = alert({ firedAt: T0 - firingFor });
    const state = notified(a.id, { stepsSeq: 2, escalations: done });
    const out = escalationCandidates(a, ctx({ rules: [r], notified: [state] }));
    expect(out.map((c) => `${c.id} → ${c.topic}`)).toEqual(expected);
  });
  it('steps done for an earlier episode do not count', () => {
    const a = alert({ firedAt: T0 - 20 * MIN, seq: 4 });
    const state = notified(a.id, { stepsSeq: 2, escalations: 2 });
    expect(escalationCandidates(a, ctx({ rules: [r], notified: [state] })).map((c) => c.id)).toEqual([
      'latency:checkout#4#escalation-1',
    ]);
  });
  it('acknowledgement stops escalation', () => {
    const acked = alert({ ack: { by: 'ana', at: T0 } });
    const c = candidate(acked, {
      kind: 'escalation',
      id: 'latency:checkout#2#escalation-1',
      topic: 'escalation',
      rule: r,
    });
    expect(short(escalated(c, ctx()))).toEqual({ action: 'suppress', code: 'acknowledged' });
    expect(short(escalated({ ...c, alert: alert() }, ctx()))).toEqual({ action: 'pass', code: 'escalated' });
  });
});
