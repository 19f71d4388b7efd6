import { createHmac } from 'node:crypto';
import type { WebhookResult, WebhookSender } from '../core/verification/ports.js';
import type { GuardedHttpClient } from './guarded-http.js';
import { describeError } from './http-prober.js';

/**
 * The rollback webhook: a JSON POST through the guarded client (the URL policy applies at connect time and
 * on every redirect), signed so the receiver can trust it:
 *   X-Vigil-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes, keyed with VIGIL_VERIFY_WEBHOOK_SECRET>
 *   X-Vigil-Delivery:  the verification id (the same on every retry, for deduplication)
 * A 2xx answer is a delivery; anything else (or no answer within `timeoutMs`) is a failure, retried by the flow.
 */
export const SIGNATURE_HEADER = 'x-vigil-signature';

export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export class SignedWebhookSender implements WebhookSender {
  constructor(
    private readonly http: GuardedHttpClient,
    /** The signing secret (resolved from a secret reference when it is one); undefined = not configured. */
    private readonly secret: () => Promise<string | undefined>,
    private readonly timeoutMs = 10_000,
  ) {}

  async post(url: string, body: string, deliveryId: string): Promise<WebhookResult> {
    let secret: string | undefined;
    try {
      secret = await this.secret();
    } catch (error) {
      return { ok: false, detail: `the webhook secret could not be read: ${(error as Error).message}` };
    }
    if (!secret)
      return { ok: false, detail: 'VIGIL_VERIFY_WEBHOOK_SECRET is not set, so the webhook cannot be signed' };
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      const { response } = await this.http.request({
        url,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'vigil-verify/1',
          [SIGNATURE_HEADER]: signBody(body, secret),
          'x-vigil-delivery': deliveryId,
        },
        body,
        signal: controller.signal,
      });
      response.resume();
      const status = response.statusCode ?? 0;
      return status >= 200 && status < 300
        ? { ok: true, detail: `status ${status}` }
        : { ok: false, detail: `the webhook answered status ${status}` };
    } catch (error) {
      if (controller.signal.aborted) return { ok: false, detail: `no answer within ${this.timeoutMs} ms` };
      return { ok: false, detail: describeError(error as NodeJS.ErrnoException, new URL(url)) };
    } finally {
      clearTimeout(timer);
    }
  }
}
