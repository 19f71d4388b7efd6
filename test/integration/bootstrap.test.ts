import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';

// The deploy-time custom resource, run against local mode's tables (Secrets Manager has no local server: mocked).
const secrets = mockClient(SecretsManagerClient);
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:vigil-admin-AbCdEf';

function event(type: 'Create' | 'Update' | 'Delete', config = ''): CloudFormationCustomResourceEvent {
  return {
    RequestType: type,
    ServiceToken: 'arn',
    ResponseURL: 'https://example.invalid',
    StackId: 'stack',
    RequestId: 'r',
    LogicalResourceId: 'bootstrap',
    ResourceType: 'AWS::CloudFormation::CustomResource',
    ResourceProperties: { ServiceToken: 'arn', AdminTokenSecretArn: SECRET_ARN, ConfigFile: config },
    ...(type === 'Create' ? {} : { PhysicalResourceId: 'vigil-bootstrap', OldResourceProperties: {} }),
  } as CloudFormationCustomResourceEvent;
}

describe('bootstrap custom resource', () => {
  let vigil: TestVigil;
  let handler: (
    e: CloudFormationCustomResourceEvent,
  ) => Promise<{ PhysicalResourceId: string; Data?: Record<string, string> }>;

  beforeAll(async () => {
    vigil = await startTestVigil();
    const { createHandler } = await import('../../functions/bootstrap/handler.js');
    // The environment the bootstrap Lambda would get, pointed at local mode's tables, as at deploy (not local).
    handler = createHandler({ ...vigil.environmentOf('bootstrap'), VIGIL_STAGE: 'dev' });
  });
  afterAll(() => vigil?.close());

  it('installs the admin token from the secret, so it authenticates', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: 'deployed-admin-token\n' });
    const out = await handler(event('Create'));
    expect(out.PhysicalResourceId).toBe('vigil-bootstrap');
    expect(out.Data?.Targets).toBe('no config file');
    const res = await vigil.request('/v1/tokens', { token: 'deployed-admin-token' });
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: { id: string; name: string; bootstrap?: boolean }[] };
    // The deployment's token replaced local mode's bootstrap token: one bootstrap token at a time.
    expect(items.filter((t) => t.bootstrap).map((t) => t.name)).toEqual(['admin (deployment)']);
    expect(secrets.commandCalls(GetSecretValueCommand)[0]!.args[0].input).toEqual({ SecretId: SECRET_ARN });
  });

  it('applies the config file on update and refuses an invalid one, naming the field', async () => {
    const file = JSON.stringify({ targets: [{ id: 'web', service: 'web', url: 'http://127.0.0.1:9/health' }] });
    const out = await handler(event('Update', file));
    expect(out.Data?.Targets).toContain('1 created');
    const target = await vigil.request('/v1/targets/web', { token: 'deployed-admin-token' });
    expect(target.status).toBe(200);
    expect(await target.json()).toMatchObject({ id: 'web', managedBy: 'config' });
    await expect(
      handler(event('Update', JSON.stringify({ targets: [{ id: 'x', service: 'x', url: 'ftp://x' }] }))),
    ).rejects.toThrow(/targets\[0\]\.url/);
  });

  it('does nothing on delete (tables outlive the service stack)', async () => {
    secrets.reset();
    expect(await handler(event('Delete'))).toEqual({ PhysicalResourceId: 'vigil-bootstrap' });
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });
});
