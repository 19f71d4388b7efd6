import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SNSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../functions/forwarder/handler.js';
import { lambdaContext } from '../../lib/local/lambda-context.js';

/**
 * The Slack forwarder end to end in-process: an SNS event in, the secret read from Secrets Manager
 * (aws-sdk-client-mock), the payload POSTed through the URL guard to a real local HTTP server.
 */
const sm = mockClient(SecretsManagerClient);
afterEach(() => sm.reset());

const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:vigil-slack-AbCdEf';
let hook: Server;
let base: string;
const received: { path: string; headers: IncomingMessage['headers']; body: string }[] = [];
beforeAll(async () => {
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      res.statusCode = req.url === '/broken' ? 500 : 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
});
afterAll(() => hook?.close());

const message = {
  id: 'latency:checkout#3',
  topic: 'critical',
  notificationId: 'latency:checkout#3',
  kind: 'firing',
  alert: {
    id: 'latency:checkout',
    rule: 'latency',
    state: 'firing',
    severity: 'critical',
    value: 950,
    labels: { service: 'checkout' },
  },
  annotations: { summary: 'p95 950 ms on checkout', description: 'Checkout <slow> & sad' },
  reason: { code: 'condition-true', message: 'above 800' },
  links: { dashboard: 'https://vigil.example.com/?view=alerts&service=checkout', runbook: 'https://wiki/rb' },
};

const event = (msg: unknown = message): SNSEvent => ({
  Records: [
    {
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: 'arn:aws:sns:eu-west-1:123456789012:vigil-critical:sub',
      Sns: {
        Type: 'Notification',
        MessageId: 'm-1',
        TopicArn: 'arn:aws:sns:eu-west-1:123456789012:vigil-critical',
        Subject: '[FIRING] critical checkout: p95 950 ms on checkout',
        Message: typeof msg === 'string' ? msg : JSON.stringify(msg),
        Timestamp: '2026-12-02T12:00:00.000Z',
        SignatureVersion: '1',
        Signature: '',
        SigningCertUrl: '',
        UnsubscribeUrl: '',
        MessageAttributes: { notificationId: { Type: 'String', Value: 'latency:checkout#3' } },
      },
    },
  ],
});

const forwarder = (env: Record<string, string> = {}) =>
  createHandler(
    {
      VIGIL_SLACK_WEBHOOKS_SECRET: SECRET,
      VIGIL_ALLOW_PRIVATE_TARGETS: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      ...env,
    },
    { secretsManager: new SecretsManagerClient({ region: 'eu-west-1' }) },
  );

describe('Slack forwarder', () => {
  it('posts a Slack-compatible payload to every webhook in the secret', async () => {
    received.length = 0;
    sm.on(GetSecretValueCommand, { SecretId: SECRET }).resolves({ SecretString: `${base}/a, ${base}/b` });
    const out = await forwarder()(event(), lambdaContext('forwarder'));
    expect(out).toEqual({ notifications: 1, posted: 2, failed: 0 });
    expect(received.map((r) => r.path).sort()).toEqual(['/a', '/b']);
    expect(received[0]!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(received[0]!.body)).toEqual({
      text: '[FIRING] critical checkout: p95 950 ms on checkout',
      attachments: [
        {
          color: '#d1242f',
          title: 'p95 950 ms on checkout',
          title_link: 'https://vigil.example.com/?view=alerts&service=checkout',
          text: 'Checkout &lt;slow&gt; &amp; sad',
          fields: [
            { title: 'Value', value: '950', short: true },
            { title: 'Severity', value: 'critical', short: true },
            { title: 'Labels', value: 'service=checkout', short: false },
            { title: 'Why', value: 'condition-true: above 800', short: false },
            { title: 'Runbook', value: 'https://wiki/rb', short: false },
          ],
          footer: 'Vigil · latency:checkout#3',
        },
      ],
    });
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('forwards a message that is not Vigil JSON as text', async () => {
    received.length = 0;
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify([`${base}/a`]) });
    await forwarder()(event('hello from the console'), lambdaContext('forwarder'));
    expect(JSON.parse(received[0]!.body)).toMatchObject({
      text: '[FIRING] critical checkout: p95 950 ms on checkout',
      attachments: [{ text: 'hello from the console' }],
    });
  });

  it('fails the invocation when a webhook answers an error (so Lambda retries), naming only its host', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: `${base}/broken,${base}/a` });
    await expect(forwarder()(event(), lambdaContext('forwarder'))).rejects.toThrow(
      `webhook posts failed: ${new URL(base).host}: status 500`,
    );
  });

  it('refuses webhook URLs the guard does not allow', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: `http://169.254.169.254/latest/meta-data,${base}/a` });
    await expect(forwarder()(event(), lambdaContext('forwarder'))).rejects.toThrow(
      /169\.254\.169\.254: .*link-local|metadata/,
    );
    // Private addresses only when allowPrivateTargets is on.
    sm.on(GetSecretValueCommand).resolves({ SecretString: `${base}/a` });
    await expect(
      forwarder({ VIGIL_ALLOW_PRIVATE_TARGETS: 'false' })(event(), lambdaContext('forwarder')),
    ).rejects.toThrow(/webhook posts failed: 127\.0\.0\.1/);
  });

  it('without a secret configured, forwards nothing and does not fail', async () => {
    const h = createHandler({ POWERTOOLS_LOG_LEVEL: 'SILENT' });
    expect(await h(event(), lambdaContext('forwarder'))).toEqual({ notifications: 1, posted: 0, failed: 0 });
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });
});
