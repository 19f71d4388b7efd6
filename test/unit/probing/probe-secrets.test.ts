import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { AwsSecretResolver } from '../../../functions/adapters/aws-secret-resolver.js';
import type { ProbeRequest, TargetState } from '../../../functions/core/probing/model.js';
import { type ProbeRunDeps, runScheduled } from '../../../functions/core/probing/run-probes.js';
import { secretSource } from '../../../functions/core/probing/secret-ref.js';
import { TargetEntrySchema, type TargetRecord } from '../../../functions/core/probing/target-schema.js';

/** Issue #9 item 7: references in config-file headers, resolved by the probe function at run time. */
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:vigil/probe-token-AbCdEf';
const NOW = Date.UTC(2026, 0, 1, 10);

function resolver(clock: { t: number }) {
  const sm = mockClient(SecretsManagerClient);
  const ssm = mockClient(SSMClient);
  const r = new AwsSecretResolver({
    secretsManager: () => new SecretsManagerClient({ region: 'eu-west-1' }),
    ssm: () => new SSMClient({ region: 'eu-west-1' }),
    now: () => clock.t,
    ttlMs: 60_000,
  });
  return { sm, ssm, r };
}

describe('secret references', () => {
  it.each<[string, ReturnType<typeof secretSource>]>([
    [SECRET_ARN, { kind: 'secrets-manager', arn: SECRET_ARN }],
    ['/vigil/probe/key', { kind: 'ssm', name: '/vigil/probe/key' }],
    [
      'arn:aws:ssm:eu-west-1:123456789012:parameter/vigil/key',
      { kind: 'ssm', name: '/vigil/key', arn: 'arn:aws:ssm:eu-west-1:123456789012:parameter/vigil/key' },
    ],
    ['Bearer abc', undefined],
    ['vigil/key', undefined],
    ['arn:aws:secretsmanager:eu-west-1:1234:secret:x', undefined],
  ])('%s', (ref, expected) => {
    expect(secretSource(ref)).toEqual(expected);
  });

  it('reads Secrets Manager and SSM (decrypted), once per TTL, and again after it', async () => {
    const clock = { t: NOW };
    const { sm, ssm, r } = resolver(clock);
    sm.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: 'Bearer S1' });
    ssm.on(GetParameterCommand, { Name: '/vigil/key', WithDecryption: true }).resolves({ Parameter: { Value: 'K1' } });
    const both = await Promise.all([r.resolve(SECRET_ARN), r.resolve(SECRET_ARN), r.resolve('/vigil/key')]);
    expect(both).toEqual(['Bearer S1', 'Bearer S1', 'K1']);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    clock.t += 59_999;
    await r.resolve(SECRET_ARN);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    clock.t += 1;
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'Bearer S2' });
    expect(await r.resolve(SECRET_ARN)).toBe('Bearer S2');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    expect(ssm.commandCalls(GetParameterCommand)[0]?.args[0].input).toEqual({
      Name: '/vigil/key',
      WithDecryption: true,
    });
  });

  it('does not cache a failed read', async () => {
    const { sm, r } = resolver({ t: NOW });
    sm.on(GetSecretValueCommand).rejectsOnce(new Error('AccessDeniedException')).resolves({ SecretString: 'ok' });
    await expect(r.resolve(SECRET_ARN)).rejects.toThrow('AccessDeniedException');
    expect(await r.resolve(SECRET_ARN)).toBe('ok');
  });

  it('a probe run sends the resolved value; an unreadable secret makes the target down with secret-unavailable', async () => {
    const clock = { t: NOW };
    const { sm, r } = resolver(clock);
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'Bearer RESOLVED' });
    const target = (id: string, ref: string): TargetRecord => {
      const { id: _i, ...spec } = v.parse(TargetEntrySchema, {
        id,
        service: 's',
        url: `https://x/${id}`,
        failureThreshold: 1,
        headers: { Authorization: { secretRef: ref }, Accept: 'application/json' },
      });
      return { ...spec, id, managedBy: 'config', createdAt: NOW, updatedAt: NOW };
    };
    const targets = [target('good', SECRET_ARN), target('bad', '/vigil/missing')];
    const sent: ProbeRequest[] = [];
    const states = new Map<string, TargetState>();
    const deps: ProbeRunDeps = {
      targets: {
        listTargets: async () => targets,
        getTarget: async () => undefined,
        putTarget: async () => undefined,
        deleteTarget: async () => undefined,
        listStates: async () => [],
        getState: async () => undefined,
        putStates: async (s) => {
          for (const x of s) states.set(x.id, x);
        },
      },
      history: {
        recordResults: async () => undefined,
        recordRollups: async () => undefined,
        recordEvents: async () => undefined,
        results: async () => ({ items: [] }),
        rollups: async () => [],
        targetEvents: async () => [],
        events: async () => [],
      },
      prober: {
        probe: async (req) => {
          sent.push(req);
          return {
            kind: 'response',
            status: 200,
            contentType: undefined,
            body: '',
            bodyTruncated: false,
            latencyMs: 1,
          };
        },
      },
      dispatcher: { dispatch: async () => undefined },
      secrets: {
        resolve: (ref) => (ref === SECRET_ARN ? r.resolve(ref) : Promise.reject(new Error('ParameterNotFound'))),
      },
      now: () => clock.t,
      concurrency: 2,
      batchSize: 10,
    };
    await runScheduled(deps);
    expect(sent.map((s) => s.headers)).toEqual([{ Authorization: 'Bearer RESOLVED', Accept: 'application/json' }]);
    expect(states.get('good')?.status).toBe('up');
    expect(states.get('bad')).toMatchObject({
      status: 'down',
      lastReasonCode: 'secret-unavailable',
      reason: 'header Authorization: secret /vigil/missing could not be read (ParameterNotFound)',
    });
  });
});
