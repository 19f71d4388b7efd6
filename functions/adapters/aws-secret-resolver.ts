import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { Clock } from '../core/clock.js';
import { type SecretResolver, secretSource } from '../core/probing/secret-ref.js';

/**
 * Reads referenced secrets from Secrets Manager or SSM Parameter Store, and keeps each value for `ttlMs`
 * so a probe run costs one read per secret per period, not one per probe (a rotated secret is picked up
 * within that period). Concurrent probes of one secret share a single read. A failed read is not cached.
 */
export interface AwsSecretResolverOptions {
  readonly secretsManager: () => SecretsManagerClient;
  readonly ssm: () => SSMClient;
  readonly now: Clock;
  /** @default 300000 (5 minutes) */
  readonly ttlMs?: number;
}

export class AwsSecretResolver implements SecretResolver {
  private readonly cache = new Map<string, { at: number; value: Promise<string> }>();
  private readonly ttlMs: number;

  constructor(private readonly options: AwsSecretResolverOptions) {
    this.ttlMs = options.ttlMs ?? 300_000;
  }

  resolve(ref: string): Promise<string> {
    const now = this.options.now();
    const hit = this.cache.get(ref);
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    const value = this.read(ref);
    this.cache.set(ref, { at: now, value });
    value.catch(() => {
      if (this.cache.get(ref)?.value === value) this.cache.delete(ref);
    });
    return value;
  }

  private async read(ref: string): Promise<string> {
    const source = secretSource(ref);
    if (!source) throw new Error('not a secret reference');
    if (source.kind === 'secrets-manager') {
      const out = await this.options.secretsManager().send(new GetSecretValueCommand({ SecretId: source.arn }));
      if (out.SecretString === undefined) throw new Error('the secret has no string value');
      return out.SecretString;
    }
    const out = await this.options
      .ssm()
      .send(new GetParameterCommand({ Name: source.arn ?? source.name, WithDecryption: true }));
    const value = out.Parameter?.Value;
    if (value === undefined) throw new Error('the parameter has no value');
    return value;
  }
}
