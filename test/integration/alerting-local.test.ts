import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';
import { startTargetServer, type TargetServer } from '../support/probe-target-server.js';

/**
 * The "done when" in local mode, end to end through the real handlers, dynalite and the local
 * notifier's webhooks: a threshold rule on ingested data fires and its notification is at the webhook and
 * in GET /v1/notifications with its reason; acknowledging stops escalation but not the resolved notice; a
 * silence suppresses; a probe target going down notifies once and its dependent is folded into it.
 * Evaluations are driven explicitly on a clock the test moves (the local timer runs the same handler).
 */
let vigil: TestVigil;
let svc: TargetServer;
let hook: Server;
// biome-ignore lint/suspicious/noExplicitAny: JSON the webhook received
const received: { subject: string; topic: string; message: Record<string, any> }[] = [];
const START = Date.now();
let now = START;
const minute = 60_000;

// biome-ignore lint/suspicious/noExplicitAny: JSON from the API under test
type Json = Record<string, any>;

beforeAll(async () => {
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const envelope = JSON.parse(body) as { Subject: string; TopicArn: string; Message: string };
      received.push({
        subject: envelope.Subject,
        topic: envelope.TopicArn.split('vigil-').pop() ?? '',
        message: JSON.parse(envelope.Message),
      });
      res.end('ok');
    });
  }).listen(0, '127.0.0.1');
  await once(hook, 'listening');
  svc = await startTargetServer();
  vigil = await startTestVigil(
    { VIGIL_WEBHOOKS: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook` },
    { clock: () => now },
  );
});
afterAll(async () => {
  await Promise.all([vigil?.close(), svc?.close()]);
  hook?.close();
});

async function call(method: string, path: string, json?: unknown) {
  const res = await vigil.request(path, { method, ...(json !== undefined ? { json } : {}) });
  const text = await res.text();
  expect(res.status, `${method} ${path}: ${text}`).toBeLessThan(300);
  return (text ? JSON.parse(text) : {}) as Json;
}

/** One p95 sample (three equal values) for a service's route, at the test's clock. */
const ingest = (service: string, ms: number) =>
  call('POST', '/v1/ingest', {
    service,
    metrics: [
      {
        name: 'http.server.duration',
        type: 'histogram',
        values: [ms, ms, ms],
        tags: { route: '/cart' },
        timestamp: now,
      },
    ],
  });

const evaluate = async (advanceMs = 0) => {
  now += advanceMs;
  await vigil.runSchedule('evaluator');
};

const alertsOf = async (rule: string) =>
  (await call('GET', `/v1/alerts?state=firing`)).items.filter((a: Json) => a.ruleId === rule);
const messagesOf = (rule: string) => received.filter((r) => r.message.alert?.rule === rule);

const thresholdRule = (service: string, extra: Record<string, unknown> = {}) => ({
  type: 'threshold',
  severity: 'critical',
  metric: { service, name: 'http.server.duration', stat: 'p95', groupBy: ['route'] },
  op: '>',
  value: 800,
  window: '2m',
  for: '1m',
  groupWait: '0s',
  annotations: { summary: 'p95 of {{ labels.route }} is {{ value }} ms' },
  ...extra,
});

describe('alerting in local mode', () => {
  it('fires a threshold rule on ingested data: notified at the webhook and listed with its reason', async () => {
    await ingest('checkout', 1200);
    await call(
      'PUT',
      '/v1/rules/checkout-p95',
      thresholdRule('checkout', { escalation: [{ after: '5m', topic: 'escalation' }] }),
    );
    await evaluate();
    expect((await call('GET', '/v1/alerts?state=pending')).items.map((a: Json) => a.ruleId)).toContain('checkout-p95');
    expect(messagesOf('checkout-p95')).toEqual([]);

    now += minute;
    await ingest('checkout', 1200);
    await evaluate();
    const [alert] = await alertsOf('checkout-p95');
    expect(alert).toMatchObject({ state: 'firing', labels: { service: 'checkout', route: '/cart' } });
    const firing = messagesOf('checkout-p95');
    expect(firing).toHaveLength(1);
    expect(firing[0]).toMatchObject({
      topic: 'critical',
      message: { kind: 'firing', annotations: { summary: expect.stringMatching(/^p95 of \/cart is 12\d\d/) } },
    });
    expect(firing[0]!.subject).toContain('checkout');

    const log = await call('GET', '/v1/notifications');
    const record = log.items.find((n: Json) => n.alertId === alert.id);
    expect(record).toMatchObject({ kind: 'firing', topic: 'critical', status: 'sent' });
    expect(record.reason).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    const detail = await call('GET', `/v1/alerts/${encodeURIComponent(alert.id)}`);
    expect(detail.transitions.map((t: Json) => t.to)).toEqual(['pending', 'firing']);
    expect(detail.notifications.map((n: Json) => n.kind)).toEqual(['firing']);
  });

  it('acknowledging stops escalation but not the resolved notice', async () => {
    const [alert] = await alertsOf('checkout-p95');
    await call('POST', `/v1/alerts/${encodeURIComponent(alert.id)}/ack`, { by: 'ana', comment: 'on it' });
    for (let i = 0; i < 6; i++) {
      now += minute;
      await ingest('checkout', 1200);
      await evaluate();
    }
    // Past the 5 m escalation step: suppressed because acknowledged, never sent.
    expect(messagesOf('checkout-p95').map((m) => m.message.kind)).toEqual(['firing']);
    const detail = await call('GET', `/v1/alerts/${encodeURIComponent(alert.id)}`);
    const escalation = detail.notifications.find((n: Json) => n.kind === 'escalation');
    expect(escalation).toMatchObject({ status: 'suppressed', reason: { code: 'acknowledged' } });

    now += 2 * minute;
    await ingest('checkout', 100);
    await evaluate();
    await evaluate(minute);
    expect(messagesOf('checkout-p95').map((m) => m.message.kind)).toEqual(['firing', 'resolved']);
    expect(messagesOf('checkout-p95')[1]?.topic).toBe('critical');
  });

  it('a silence suppresses a firing notification, with the reason in the log', async () => {
    await call('POST', '/v1/silences', {
      matchers: [{ label: 'service', op: '=', value: 'search' }],
      endsAt: new Date(now + 3_600_000).toISOString(),
      comment: 'search is being migrated',
      createdBy: 'ana',
    });
    await ingest('search', 2000);
    await call('PUT', '/v1/rules/search-p95', thresholdRule('search'));
    await evaluate();
    now += minute;
    await ingest('search', 2000);
    await evaluate();
    const [alert] = await alertsOf('search-p95');
    expect(alert.state).toBe('firing');
    expect(messagesOf('search-p95')).toEqual([]);
    const detail = await call('GET', `/v1/alerts/${encodeURIComponent(alert.id)}`);
    expect(detail.notifications).toHaveLength(1);
    expect(detail.notifications[0]).toMatchObject({
      kind: 'firing',
      status: 'suppressed',
      reason: { code: 'silenced' },
    });
  });

  it('a probe target going down notifies once, and the target depending on it is folded into it', async () => {
    for (const [id, dependsOn] of [
      ['db', []],
      ['api', ['db']],
    ] as const) {
      await call('PUT', `/v1/targets/${id}`, {
        service: id,
        url: `${svc.url}/t/${id}`,
        intervalSeconds: 10,
        failureThreshold: 1,
        successThreshold: 1,
        dependsOn,
      });
    }
    await vigil.runSchedule('probe');
    await call('PUT', '/v1/rules/targets-down', { type: 'health', severity: 'critical', groupWait: '0s' });
    await evaluate();
    expect(messagesOf('targets-down')).toEqual([]);

    svc.set('db', { kind: 'failing', status: 502 });
    svc.set('api', { kind: 'failing', status: 502 });
    now += minute;
    await vigil.runSchedule('probe');
    const states = (await call('GET', '/v1/targets')).items.map((t: Json) => [t.id, t.state.status]);
    expect(states).toEqual(
      expect.arrayContaining([
        ['db', 'down'],
        ['api', 'down'],
      ]),
    );
    await evaluate();
    await evaluate(minute);
    await evaluate(minute);

    const sent = messagesOf('targets-down');
    expect(sent.map((m) => [m.message.kind, m.message.alert.labels.target])).toEqual([['firing', 'db']]);
    expect(sent[0]!.message.dependents.map((d: Json) => d.labels.target)).toEqual(['api']);
    const firing = await alertsOf('targets-down');
    const api = firing.find((a: Json) => a.labels.target === 'api');
    const detail = await call('GET', `/v1/alerts/${encodeURIComponent(api.id)}`);
    expect(detail.notifications[0]).toMatchObject({ status: 'folded', reason: { code: 'caused-by' } });
  });
});
