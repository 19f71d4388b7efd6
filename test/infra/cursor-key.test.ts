import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { FUNCTION_NAMES, FUNCTIONS, type FunctionSpec } from '../../functions/catalog/functions.js';
import { vigilStacks } from '../../lib/vigil-app.js';
import { testApp } from '../support/cdk-app.js';

describe('cursor key', () => {
  it('is a generated secret, given by dynamic reference to exactly the functions that page', () => {
    const app = testApp({ 'aws:cdk:bundling-stacks': [], stage: 'test' });
    const service = Template.fromStack(vigilStacks(app, { projectRoot: process.cwd() }).service);
    const secrets = service.findResources('AWS::SecretsManager::Secret');
    const [secretId] = Object.entries(secrets).find(([, r]) =>
      String((r as { Properties: { Description: string } }).Properties.Description).includes('paging cursors'),
    )!;
    const fns = service.findResources('AWS::Lambda::Function');
    const keyOf = (name: string) => {
      const fn = Object.values(fns).find((r) =>
        JSON.stringify((r as { Properties: object }).Properties).includes(`"POWERTOOLS_SERVICE_NAME":"vigil-${name}"`),
      ) as { Properties: { Environment?: { Variables?: Record<string, unknown> } } } | undefined;
      return fn?.Properties.Environment?.Variables?.VIGIL_CURSOR_KEY;
    };
    const paging = FUNCTION_NAMES.filter((n) => (FUNCTIONS[n] as FunctionSpec).settings.includes('cursorKey'));
    expect(paging).toEqual(expect.arrayContaining(['notifications', 'query', 'targets', 'verify']));
    for (const name of FUNCTION_NAMES) {
      const key = keyOf(name);
      if (!paging.includes(name)) {
        expect(key, name).toBeUndefined();
        continue;
      }
      const text = JSON.stringify(key);
      expect(text, name).toContain('{{resolve:secretsmanager:');
      expect(text, name).toContain(secretId);
    }
  }, 120_000);
});
