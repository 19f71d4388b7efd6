import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEvaluation } from '../../functions/core/alerting/run-evaluation.js';
import { alertPipelinePorts } from '../../functions/platform/alert-pipeline.js';
import { runtime } from '../../functions/platform/runtime.js';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';
import { scriptedEvaluator } from '../support/scripted-evaluator.js';
import { rule } from '../unit/alerting/pipeline-fixtures.js';

/**
 * Local mode's delivery path: the pipeline's ports built from the evaluator's environment (the local
 * notifier posting SNS-shaped messages to VIGIL_WEBHOOKS), and the notification in GET /v1/notifications.
 */
let vigil: TestVigil;
let hook: Server;
let hookUrl: string;
const bodies: string[] = [];
beforeAll(async () => {
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      bodies.push(body);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  vigil = await startTestVigil();
});
afterAll(async () => {
  await vigil?.close();
  hook?.close();
});

describe('alert pipeline in local mode', () => {
  it('posts the notification to the webhook and lists it with its decisions', async () => {
    let now = Date.now();
    const env = { ...vigil.environmentOf('evaluator'), VIGIL_NOTIFIER: 'local', VIGIL_WEBHOOKS: hookUrl };
    const printed: string[] = [];
    const ports = alertPipelinePorts(runtime('evaluator', env), { print: (l) => printed.push(l) });
    const rules = [rule({ id: 'latency', groupWaitMs: 0 })];
    const evaluator = scriptedEvaluator(
      rules,
      [{ id: 'latency:checkout', ruleId: 'latency', service: 'checkout' }],
      () => true,
    );
    const summary = await runEvaluation({
      ...ports,
      evaluator,
      deployWindows: { active: async () => [] },
      now: () => now,
      dashboardUrl: vigil.url,
    });
    expect(summary).toMatchObject({ written: 1, transitions: 1, created: 1, dispatch: { sent: 1, failed: 0 } });
    expect(printed).toEqual(['[notify:critical] [FIRING] critical checkout: checkout is slow: 900 ms']);
    expect(bodies).toHaveLength(1);
    const envelope = JSON.parse(bodies[0]!);
    expect(envelope).toMatchObject({
      Type: 'Notification',
      MessageId: 'latency:checkout#1',
      Subject: '[FIRING] critical checkout: checkout is slow: 900 ms',
      MessageAttributes: {
        service: { Type: 'String', Value: 'checkout' },
        severity: { Type: 'String', Value: 'critical' },
        state: { Type: 'String', Value: 'firing' },
        rule: { Type: 'String', Value: 'latency' },
        notificationId: { Type: 'String', Value: 'latency:checkout#1' },
      },
    });
    expect(JSON.parse(envelope.Message)).toMatchObject({
      notificationId: 'latency:checkout#1',
      links: { dashboard: `${vigil.url}/?view=alerts&service=checkout` },
    });
    // The next run sends nothing more: the notification is out, once.
    now += 60_000;
    const again = await runEvaluation({
      ...ports,
      evaluator,
      deployWindows: { active: async () => [] },
      now: () => now,
    });
    expect(again).toMatchObject({ transitions: 0, created: 0, dispatch: { sent: 0 } });
    expect(bodies).toHaveLength(1);

    const log = (await (await vigil.request('/v1/notifications')).json()) as {
      items: { id: string; status: string; reason: { code: string }; decisions: { code: string }[] }[];
    };
    expect(log.items.map((i) => [i.id, i.status, i.reason.code, i.decisions.map((d) => d.code)])).toEqual([
      ['latency:checkout#1', 'sent', 'send', ['send']],
    ]);
  });

  it('reads the pipeline options and the dashboard URL from the settings', () => {
    const env = vigil.environmentOf('evaluator');
    expect(alertPipelinePorts(runtime('evaluator', env))).toMatchObject({ pipeline: { resolvedThroughSilence: true } });
    const set = alertPipelinePorts(
      runtime('evaluator', {
        ...env,
        VIGIL_RESOLVED_THROUGH_SILENCE: 'false',
        VIGIL_DASHBOARD_URL: 'https://vigil.example.com',
      }),
    );
    expect(set).toMatchObject({
      pipeline: { resolvedThroughSilence: false },
      dashboardUrl: 'https://vigil.example.com',
    });
    expect(() => runtime('evaluator', { ...env, VIGIL_RESOLVED_THROUGH_SILENCE: 'maybe' })).toThrow(
      /VIGIL_RESOLVED_THROUGH_SILENCE/,
    );
  });
});
