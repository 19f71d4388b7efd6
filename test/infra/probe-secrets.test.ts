import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { vigilStacks } from '../../lib/vigil-app.js';
import { testApp } from '../support/cdk-app.js';

/** Issue #9 item 7 (the config file is embedded in the template) and item 1's opt-in, at synth. */
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:vigil/probe-token-AbCdEf';
const PARAMETER = '/vigil/probe/api-key';

function synth(config: unknown, context: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-secrets-'));
  const file = join(dir, 'vigil.config.json');
  writeFileSync(file, JSON.stringify(config));
  const app = testApp({ 'aws:cdk:bundling-stacks': [], stage: 'test', configFile: file, ...context });
  return vigilStacks(app, { projectRoot: process.cwd() });
}

const target = (headers: Record<string, unknown>, url = 'https://api.example.com/health') => ({
  targets: [{ id: 'api', service: 'api', url, headers }],
});

type Statement = { Action: string | string[]; Resource: unknown };
type Policy = { Properties: { PolicyDocument: { Statement: Statement[] }; Roles: { Ref: string }[] } };

/** The role names (logical ids) whose policies allow `action`, with the resources. */
function grants(template: Template, action: string): { role: string; resource: unknown }[] {
  const policies = template.findResources('AWS::IAM::Policy') as Record<string, Policy>;
  return Object.values(policies).flatMap((p) =>
    p.Properties.PolicyDocument.Statement.filter((s) => [s.Action].flat().includes(action)).flatMap((s) =>
      p.Properties.Roles.map((r) => ({ role: r.Ref, resource: s.Resource })),
    ),
  );
}

function roleOf(template: Template, fn: string): string {
  const fns = template.findResources('AWS::Lambda::Function') as Record<
    string,
    { Properties: { Role: { 'Fn::GetAtt': [string, string] } } }
  >;
  const [, found] = Object.entries(fns).find(([id]) => id.startsWith(`${fn}fn`) || id.startsWith(fn)) ?? [];
  if (!found) throw new Error(`no function ${fn}`);
  return found.Properties.Role['Fn::GetAtt'][0];
}

// Each synth takes seconds, and far longer while the whole suite shares the machine.
describe('probe secrets at synth', { timeout: 120_000 }, () => {
  it('refuses a plain credential in the config file, naming the header and the fix', () => {
    expect(() => synth(target({ Authorization: 'Bearer PROBE-SECRET-123' }))).toThrow(
      /targets\[0\]\.headers\.Authorization: a credential in vigil\.config\.json must be a reference/,
    );
    expect(() => synth(target({ 'X-Api-Key': 'k' }))).toThrow(/targets\[0\]\.headers\.X-Api-Key/);
  });

  it('with references: no value in the template, and the probe function may read exactly those', () => {
    const stacks = synth(
      target({ Authorization: { secretRef: SECRET_ARN }, 'X-Api-Key': { secretRef: PARAMETER }, Accept: 'text/plain' }),
    );
    const template = Template.fromStack(stacks.service);
    const json = JSON.stringify(template.toJSON());
    expect(json).not.toContain('PROBE-SECRET');
    expect(json).toContain(SECRET_ARN);

    const probeRole = roleOf(template, 'probe');
    const secretGrants = grants(template, 'secretsmanager:GetSecretValue').filter((g) =>
      JSON.stringify(g.resource).includes('vigil/probe-token'),
    );
    expect(secretGrants).toEqual([{ role: probeRole, resource: SECRET_ARN }]);
    const parameterGrants = grants(template, 'ssm:GetParameter');
    expect(parameterGrants).toHaveLength(1);
    expect(parameterGrants[0]?.role).toBe(probeRole);
    expect(JSON.stringify(parameterGrants[0]?.resource)).toContain(':parameter/vigil/probe/api-key');
    // No other role can read the probe secret.
    expect(grants(template, 'secretsmanager:*')).toEqual([]);
  });

  it('without references: no secret or parameter grant for the probe function', () => {
    const template = Template.fromStack(synth(target({ Accept: 'application/json' })).service);
    const probeRole = roleOf(template, 'probe');
    expect(grants(template, 'secretsmanager:GetSecretValue').filter((g) => g.role === probeRole)).toEqual([]);
    expect(grants(template, 'ssm:GetParameter')).toEqual([]);
  });

  it('allowPrivateTargets: off by default (a private literal fails synth), passed to the functions when on', () => {
    const internal = target({}, 'http://10.0.4.2:8080/health');
    expect(() => synth(internal)).toThrow(/targets\[0\]\.url: 10\.0\.4\.2 is a private .*allowPrivateTargets/);
    expect(() => synth(target({}, 'http://169.254.169.254/'), { allowPrivateTargets: true })).toThrow(
      /targets\[0\]\.url: 169\.254\.169\.254 is the cloud instance metadata service/,
    );
    const on = Template.fromStack(synth(internal, { allowPrivateTargets: 'true' }).service);
    on.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ VIGIL_ALLOW_PRIVATE_TARGETS: 'true' }) },
    });
    const off = Template.fromStack(synth(target({})).service);
    off.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ VIGIL_ALLOW_PRIVATE_TARGETS: 'false' }) },
    });
  });
});
