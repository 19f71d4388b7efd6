import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import middy from '@middy/core';
import type { Context, SNSEvent } from 'aws-lambda';
import { AwsSecretResolver } from '../adapters/aws-secret-resolver.js';
import { GuardedHttpClient, type Resolver } from '../adapters/guarded-http.js';
import type { FunctionEnv } from '../platform/config.js';
import { lambdaHandler } from '../platform/lambda-handler.js';
import { publishMetrics } from '../platform/metrics-middleware.js';
import { type RuntimeOverrides, runtime } from '../platform/runtime.js';
import { urlPolicyOf } from '../platform/url-policy-setting.js';
import { slackPayload } from './slack-message.js';
import { webhookUrls } from './webhook-urls.js';

/**
 * Subscribed to the alert topics: posts each SNS notification as a Slack-compatible webhook payload to
 * every URL in the secret named by `VIGIL_SLACK_WEBHOOKS_SECRET`, through the URL guard (so a webhook
 * URL cannot reach the metadata service or, unless allowed, private addresses). A post that fails fails
 * the invocation: Lambda retries it (the message carries the notification id, so a repeat is recognisable)
 * and the function's error alarm sees it.
 */
export interface ForwarderOverrides extends RuntimeOverrides {
  readonly secretsManager?: SecretsManagerClient;
  readonly ssm?: SSMClient;
  /** Name resolution for the URL guard (tests). */
  readonly resolve?: Resolver;
  /** @default 5000 */
  readonly timeoutMs?: number;
}

export interface ForwardSummary {
  readonly notifications: number;
  readonly posted: number;
  readonly failed: number;
}

export function createHandler(env: FunctionEnv, overrides: ForwarderOverrides = {}) {
  const rt = runtime('forwarder', env, overrides);
  const { logger, metrics, tracer } = rt.obs;
  const secretRef = rt.settings.slackWebhooksSecret;
  const secrets = new AwsSecretResolver({
    secretsManager: () => overrides.secretsManager ?? new SecretsManagerClient({}),
    ssm: () => overrides.ssm ?? new SSMClient({}),
    now: rt.clock,
  });
  const http = new GuardedHttpClient({
    policy: urlPolicyOf(rt.settings),
    ...(overrides.resolve ? { resolve: overrides.resolve } : {}),
  });
  const timeoutMs = overrides.timeoutMs ?? 5_000;

  async function post(url: string, body: string): Promise<string | undefined> {
    try {
      const { response } = await http.request({
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      response.resume();
      const status = response.statusCode ?? 0;
      return status >= 200 && status < 300 ? undefined : `status ${status}`;
    } catch (error) {
      return (error as Error).message;
    }
  }

  const run = async (event: SNSEvent): Promise<ForwardSummary> => {
    if (!secretRef) {
      logger.warn('no webhook secret configured (VIGIL_SLACK_WEBHOOKS_SECRET): nothing forwarded');
      return { notifications: event.Records.length, posted: 0, failed: 0 };
    }
    const { urls, problems } = webhookUrls(await secrets.resolve(secretRef));
    for (const p of problems) logger.error(`webhook secret: ${p}`);
    let posted = 0;
    const failures: string[] = [];
    for (const record of event.Records) {
      const body = JSON.stringify(
        slackPayload({
          subject: record.Sns.Subject,
          message: record.Sns.Message,
          attributes: record.Sns.MessageAttributes ?? {},
        }),
      );
      const results = await Promise.all(urls.map(async (url) => ({ url, error: await post(url, body) })));
      for (const r of results) {
        if (!r.error) posted++;
        // The URL is a credential: log its host only.
        else failures.push(`${new URL(r.url).host}: ${r.error}`);
      }
    }
    metrics.addMetric('WebhooksPosted', MetricUnit.Count, posted);
    if (failures.length) {
      metrics.addMetric('WebhookFailures', MetricUnit.Count, failures.length);
      throw new Error(`webhook posts failed: ${failures.join('; ')}`);
    }
    return { notifications: event.Records.length, posted, failed: 0 };
  };

  const core = async (event: SNSEvent, _context: Context): Promise<ForwardSummary> => {
    try {
      return await run(event);
    } catch (error) {
      logger.error('forwarder run failed', error as Error);
      throw error;
    }
  };
  return middy(core)
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
    .use(publishMetrics(metrics)) as unknown as (event: SNSEvent, context: Context) => Promise<ForwardSummary>;
}

export const handler = lambdaHandler(createHandler);
