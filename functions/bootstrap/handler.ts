import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { DynamoDbTokenStore } from '../adapters/dynamodb-token-store.js';
import { installBootstrapToken } from '../core/tokens.js';
import type { FunctionEnv } from '../platform/config.js';
import { lambdaHandler } from '../platform/lambda-handler.js';
import { type RuntimeOverrides, runtime } from '../platform/runtime.js';
import { urlPolicyOf } from '../platform/url-policy-setting.js';
import { applyConfigRules, describeAppliedRules, parseConfigRules } from '../rules/apply-config.js';
import { applyConfigFile, describeApplied, parseConfigFile } from '../targets/apply-config.js';

/**
 * Deploy-time bootstrap, run by a CloudFormation custom resource when the deploy changes it: installs the
 * admin token whose value CloudFormation generated into Secrets Manager (only its hash reaches DynamoDB),
 * and applies the project's `vigil.config.json` (targets as code), passed in as a resource property so that
 * a change to the file re-runs it. An invalid file fails the deploy with the field that is wrong. Local
 * mode runs this same handler at start, with its own secret reader.
 */
export interface BootstrapResult {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

/** Reads a secret's string value by ARN. */
export type SecretReader = (secretArn: string) => Promise<string | undefined>;

export interface BootstrapOverrides extends RuntimeOverrides {
  readonly readSecret?: SecretReader;
}

function secretsManagerReader(): SecretReader {
  const client = new SecretsManagerClient({});
  return async (secretArn) => (await client.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString;
}

export function createHandler(env: FunctionEnv, overrides: BootstrapOverrides = {}) {
  const rt = runtime('bootstrap', env, overrides);
  const readSecret = overrides.readSecret ?? secretsManagerReader();
  const tokens = new DynamoDbTokenStore(rt.db, rt.table('tokens'));
  const probesTable = rt.table('probes');
  const label = rt.settings.stage === 'local' ? 'admin (local mode)' : 'admin (deployment)';

  return async (event: CloudFormationCustomResourceEvent): Promise<BootstrapResult> => {
    const physicalId = 'vigil-bootstrap';
    if (event.RequestType === 'Delete') return { PhysicalResourceId: physicalId };
    const secretArn = String(event.ResourceProperties.AdminTokenSecretArn ?? '');
    const secret = await readSecret(secretArn);
    if (!secret) throw new Error(`secret ${secretArn} has no string value`);
    const record = await installBootstrapToken(tokens, secret.trim(), rt.clock(), label);
    rt.obs.logger.info('bootstrap admin token installed', { tokenId: record.id });
    const configFile = String(event.ResourceProperties.ConfigFile ?? '');
    let targets = 'no config file';
    let rules = 'no config file';
    if (configFile) {
      // The whole file is checked before anything is written: an invalid rule leaves targets as they were too.
      parseConfigFile(configFile, urlPolicyOf(rt.settings));
      const ruleEntries = parseConfigRules(JSON.parse(configFile));
      const applied = await applyConfigFile(rt.db, probesTable, configFile, rt.clock(), urlPolicyOf(rt.settings));
      targets = describeApplied(applied);
      rt.obs.logger.info('config file applied', { ...applied });
      const appliedRules = await applyConfigRules(
        rt.db,
        rt.table('alerts'),
        ruleEntries,
        rt.clock(),
        rt.settings.maxRules,
      );
      rules = describeAppliedRules(appliedRules);
      rt.obs.logger.info('config rules applied', { ...appliedRules });
    }
    return { PhysicalResourceId: physicalId, Data: { AdminTokenId: record.id, Targets: targets, Rules: rules } };
  };
}

export const handler = lambdaHandler(createHandler);
