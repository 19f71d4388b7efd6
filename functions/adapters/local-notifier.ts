import { type Delivery, type Notification, type Notifier, notificationBody } from '../core/notify.js';

/**
 * Local mode's stand-in for SNS: prints each notification and POSTs it, in the shape of an SNS HTTP(S)
 * notification, to every webhook URL. A webhook that fails is reported in the delivery, never thrown.
 */
export class LocalNotifier implements Notifier {
  constructor(
    private readonly webhooks: readonly string[],
    private readonly print: (line: string) => void,
    private readonly timeoutMs = 5_000,
  ) {}

  async publish(n: Notification): Promise<Delivery> {
    this.print(`[notify:${n.topic}] ${n.subject}`);
    const body = JSON.stringify(snsEnvelope(n));
    const failures: string[] = [];
    await Promise.all(
      this.webhooks.map(async (url) => {
        try {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': 'Notification' },
            body,
            signal: AbortSignal.timeout(this.timeoutMs),
          });
          if (!res.ok) failures.push(`${url}: status ${res.status}`);
        } catch (error) {
          failures.push(`${url}: ${(error as Error).message}`);
        }
      }),
    );
    return failures.length
      ? { via: 'local', ok: false, detail: failures.join('; ') }
      : { via: 'local', ok: true, detail: `${this.webhooks.length} webhook(s)` };
  }
}

/** The JSON body SNS posts to HTTP(S) subscribers (unsigned here: local mode has no signing key). */
export function snsEnvelope(n: Notification) {
  return {
    Type: 'Notification',
    MessageId: n.id,
    TopicArn: `arn:aws:sns:local:000000000000:vigil-${n.topic}`,
    Subject: n.subject,
    Message: notificationBody(n),
    Timestamp: new Date(n.at).toISOString(),
    SignatureVersion: '2',
    MessageAttributes: Object.fromEntries(
      Object.entries(n.attributes ?? {}).map(([k, v]) => [k, { Type: 'String', Value: v }]),
    ),
  };
}
