import { describe, expect, it } from 'vitest';
import { reconsider } from '../../../functions/core/alerting/pipeline/release.js';
import { runPipeline } from '../../../functions/core/alerting/pipeline/run-pipeline.js';
import { reason } from '../../../functions/core/reason.js';
import { alert, ctx, MIN, notified, rule, silence, T0, transition } from './pipeline-fixtures.js';

const summary = (out: ReturnType<typeof runPipeline>) =>
  out.records.map((r) => `${r.id} ${r.kind} ${r.status} ${r.decisions.map((d) => d.code).join(',')}`);

describe('runPipeline: the stages composed', () => {
  const noWait = rule({ groupWaitMs: 0 });

  it.each([
    ['a firing alert is sent', {}, ['latency:checkout#2 firing pending send']],
    ['a silenced one is suppressed', { silences: [silence()] }, ['latency:checkout#2 firing suppressed silenced']],
    [
      'one held by a deployment',
      { deploys: { checkout: [{ verificationId: 'v1', version: '2', environment: 'prod', startedAt: T0 - MIN }] } },
      ['latency:checkout#2 firing held deploy-window'],
    ],
    [
      'one sent during a deployment with duringDeploy: notify',
      {
        rules: [rule({ groupWaitMs: 0, duringDeploy: 'notify' })],
        deploys: { checkout: [{ verificationId: 'v1', version: '2', environment: 'prod', startedAt: T0 - MIN }] },
      },
      ['latency:checkout#2 firing pending deploy-window,send'],
    ],
  ] as const)('%s', (_name, extra, expected) => {
    const a = alert();
    const out = runPipeline({ ctx: ctx({ alerts: [a], rules: [noWait], ...extra }), transitions: [transition(a)] });
    expect(summary(out)).toEqual(expected);
  });

  it('records the fields of the outbox record and the state it leaves', () => {
    const a = alert();
    const out = runPipeline({ ctx: ctx({ alerts: [a] }), transitions: [transition(a)] });
    expect(out.records).toHaveLength(1);
    expect(out.records[0]).toMatchObject({
      id: 'latency:checkout#2',
      alertId: 'latency:checkout',
      ruleId: 'latency',
      kind: 'firing',
      topic: 'critical',
      status: 'held',
      createdAt: T0,
      attempts: 0,
      nextAttemptAt: T0 + 30_000,
      seq: 2,
      group: 'critical|service=checkout',
      subject: '[FIRING] critical checkout: p95 950 ms on checkout',
    });
    expect(out.records[0]!.decisions.map((d) => d.code)).toEqual(['grouped']);
    expect(out.state).toEqual({
      alerts: [
        {
          alertId: a.id,
          processedSeq: 2,
          lastAt: T0 + 30_000,
          firing: { seq: 2, at: T0 + 30_000 },
          stepsSeq: 2,
          repeats: 0,
          escalations: 0,
        },
      ],
      groups: [{ key: 'critical|service=checkout', flushAt: T0 + 30_000 }],
    });
  });

  it('two alerts of one group go out at the same flush; another service has its own group', () => {
    const a = alert();
    const b = alert({ id: 'errors:checkout', ruleId: 'errors' });
    const c = alert({ id: 'latency:cart', labels: { service: 'cart' } });
    const out = runPipeline({
      ctx: ctx({ alerts: [a, b, c], rules: [rule(), rule({ id: 'errors' })] }),
      transitions: [transition(a), transition(b), transition(c)],
    });
    expect(out.records.map((r) => [r.id, r.nextAttemptAt, r.group])).toEqual([
      ['errors:checkout#2', T0 + 30_000, 'critical|service=checkout'],
      ['latency:cart#2', T0 + 30_000, 'critical|service=cart'],
      ['latency:checkout#2', T0 + 30_000, 'critical|service=checkout'],
    ]);
  });

  it('entering pending notifies nobody but is processed', () => {
    const a = alert({ state: 'pending', seq: 1, firedAt: undefined });
    const out = runPipeline({
      ctx: ctx({ alerts: [a] }),
      transitions: [transition(a, { from: 'inactive', to: 'pending' })],
    });
    expect(out.records).toEqual([]);
    expect(out.state.alerts).toEqual([expect.objectContaining({ alertId: a.id, processedSeq: 1 })]);
  });

  it('recovers a transition stored by a run that stopped before the outbox', () => {
    const a = alert({ seq: 2 });
    const out = runPipeline({
      ctx: ctx({ alerts: [a], rules: [noWait], notified: [notified(a.id, { processedSeq: 1 })] }),
      transitions: [],
    });
    expect(summary(out)).toEqual(['latency:checkout#2 firing pending send']);
    expect(out.records[0]!.message.reason).toMatchObject({ code: 'recovered' });
  });

  it('a dependent is folded into its root, whose message lists it', () => {
    const targets = [
      { id: 'db', service: 'postgres', dependsOn: [] },
      { id: 'api', service: 'checkout', dependsOn: ['db'] },
    ];
    const db = alert({ id: 'health:db', ruleId: 'health', labels: { service: 'postgres', target: 'db' } });
    const api = alert({ id: 'health:api', ruleId: 'health', labels: { service: 'checkout', target: 'api' } });
    const out = runPipeline({
      ctx: ctx({ alerts: [db, api], rules: [rule({ id: 'health', groupWaitMs: 0 })], targets }),
      transitions: [transition(db), transition(api)],
    });
    expect(summary(out)).toEqual(['health:api#2 firing folded caused-by', 'health:db#2 firing pending send']);
    expect(out.records[0]!.foldedInto).toBe('health:db');
    expect(out.records[1]!.message.dependents).toEqual([
      { id: 'health:api', rule: 'health', labels: api.labels, state: 'firing' },
    ]);
  });

  it('repeats and escalations of unchanged firing alerts, once each, and none once acknowledged', () => {
    const H = 3_600_000;
    const r = rule({ escalation: [{ afterMs: 15 * MIN, topic: 'escalation' }] });
    const a = alert({ firedAt: T0 - 4 * H });
    const state = notified(a.id, {
      processedSeq: 2,
      firing: { seq: 2, at: T0 - 4 * H },
      lastAt: T0 - 4 * H,
      stepsSeq: 2,
    });
    const out = runPipeline({ ctx: ctx({ alerts: [a], rules: [r], notified: [state] }), transitions: [] });
    expect(summary(out)).toEqual([
      'latency:checkout#2#repeat-1 repeat pending repeat-due,send',
      'latency:checkout#2#escalation-1 escalation pending escalated,send',
    ]);
    expect(out.records[1]!.topic).toBe('escalation');
    // The next run, with the state this one left: nothing more.
    const again = runPipeline({
      ctx: ctx({ now: T0 + MIN, alerts: [a], rules: [r], notified: out.state.alerts }),
      transitions: [],
    });
    expect(again.records).toEqual([]);
    // Acknowledged: the repeat and the escalation are recorded as suppressed, once.
    const acked = { ...a, ack: { by: 'ana', at: T0 - H } };
    const ackOut = runPipeline({ ctx: ctx({ alerts: [acked], rules: [r], notified: [state] }), transitions: [] });
    expect(summary(ackOut)).toEqual([
      'latency:checkout#2#repeat-1 repeat suppressed acknowledged',
      'latency:checkout#2#escalation-1 escalation suppressed acknowledged',
    ]);
  });

  it('the resolved notice of an acknowledged alert is still sent', () => {
    const a = alert({ state: 'resolved', seq: 3, ack: { by: 'ana', at: T0 - 30 * MIN } });
    const state = notified(a.id, { processedSeq: 2, firing: { seq: 2, at: T0 - 30 * MIN }, lastAt: T0 - 30 * MIN });
    const out = runPipeline({
      ctx: ctx({ alerts: [a], rules: [noWait], notified: [state] }),
      transitions: [transition(a, { from: 'firing', to: 'resolved', reason: reason('condition-false', 'below') })],
    });
    expect(summary(out)).toEqual(['latency:checkout#3 resolved pending send']);
  });

  it('a flapping alert is held, its notices are not', () => {
    const a = alert({ flapping: true, seq: 5 });
    const out = runPipeline({
      ctx: ctx({ alerts: [a], rules: [noWait] }),
      transitions: [
        transition(a, { seq: 4, from: 'pending', to: 'firing' }),
        transition(a, { seq: 5, from: 'firing', to: 'firing', reason: reason('flapping-started', 'flaps') }),
      ],
    });
    expect(summary(out)).toEqual([
      'latency:checkout#4 firing held flapping',
      'latency:checkout#5 flapping-started pending flapping-started,send',
    ]);
  });

  it('a template error is reported with the notification id', () => {
    const a = { ...alert(), annotations: { summary: '{{ nope }}' } };
    const out = runPipeline({ ctx: ctx({ alerts: [a] }), transitions: [transition(a)] });
    expect(out.templateErrors).toEqual([
      {
        notificationId: 'latency:checkout#2',
        field: 'annotations.summary',
        error: '"{{ nope }}" is not a template field; use {{ value }} or {{ labels.NAME }}',
      },
    ]);
  });
});

describe('reconsider: held records when their hold is due', () => {
  const a = alert();
  const held = () => {
    const out = runPipeline({ ctx: ctx({ alerts: [a] }), transitions: [transition(a)] });
    return out.records[0]!;
  };

  it.each([
    ['a group hold ends: released', [a], {}, 'pending', 'released'],
    [
      'superseded by a later transition',
      [{ ...a, seq: 3, state: 'resolved' as const }],
      {},
      'suppressed',
      'superseded',
    ],
  ] as const)('%s', (_name, alerts, deploys, status, code) => {
    const r = reconsider(held(), ctx({ now: T0 + 30_000, alerts: [...alerts], deploys }));
    expect(r.record.status).toBe(status);
    expect(r.record.decisions.at(-1)?.code).toBe(code);
  });

  it('a deploy hold stays while the verification runs, and is released after', () => {
    const deploys = { checkout: [{ verificationId: 'v1', version: '2', environment: 'prod', startedAt: T0 - MIN }] };
    const out = runPipeline({ ctx: ctx({ alerts: [a], deploys }), transitions: [transition(a)] });
    const record = out.records[0]!;
    expect(record).toMatchObject({ status: 'held', nextAttemptAt: T0 + MIN });
    const still = reconsider(record, ctx({ now: T0 + MIN, alerts: [a], deploys }));
    expect(still.record).toMatchObject({ status: 'held', nextAttemptAt: T0 + 2 * MIN });
    const done = reconsider(still.record, ctx({ now: T0 + 2 * MIN, alerts: [a], notified: out.state.alerts }));
    expect(done.record).toMatchObject({ status: 'pending', nextAttemptAt: T0 + 2 * MIN });
    expect(done.record.decisions.map((d) => d.code)).toEqual(['deploy-window', 'deploy-window-ended']);
    expect(done.state?.firing).toEqual({ seq: 2, at: T0 + 2 * MIN });
  });
});
