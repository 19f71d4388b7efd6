import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SnsNotifier, snsSubject } from '../../functions/adapters/sns-notifier.js';

const sns = mockClient(SNSClient);
afterEach(() => sns.reset());

describe('SnsNotifier', () => {
  const at = Date.UTC(2026, 10, 26, 12, 0, 0);
  const arn = 'arn:aws:sns:eu-west-1:123456789012:vigil-prod-critical';

  it('publishes to the topic of the notification with its attributes', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const notifier = new SnsNotifier(new SNSClient({ region: 'eu-west-1' }), { critical: arn });
    const delivery = await notifier.publish({
      id: 'n1',
      topic: 'critical',
      subject: 'checkout is down',
      message: { service: 'checkout' },
      attributes: { severity: 'critical', service: 'checkout' },
      at,
    });
    expect(delivery).toEqual({ via: 'sns', ok: true, detail: 'm-1' });
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      TopicArn: arn,
      Subject: 'checkout is down',
      Message: JSON.stringify({
        id: 'n1',
        topic: 'critical',
        subject: 'checkout is down',
        at: '2026-11-26T12:00:00.000Z',
        service: 'checkout',
      }),
      MessageAttributes: {
        severity: { DataType: 'String', StringValue: 'critical' },
        service: { DataType: 'String', StringValue: 'checkout' },
      },
    });
  });

  it('reports a topic that is not configured without calling SNS', async () => {
    const notifier = new SnsNotifier(new SNSClient({ region: 'eu-west-1' }), {});
    const delivery = await notifier.publish({ id: 'n2', topic: 'info', subject: 's', message: {}, at });
    expect(delivery).toMatchObject({ ok: false, detail: 'no topic configured for info' });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('keeps subjects within what SNS accepts', () => {
    expect(snsSubject('deploy ✅ done\nnext line')).toBe('deploy   done next line');
    expect(snsSubject('x'.repeat(150))).toHaveLength(100);
    expect(snsSubject('   ')).toBe('Vigil notification');
  });
});
