import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { DynamoDbTokenStore } from '../adapters/dynamodb-token-store.js';
import { installBootstrapToken } from '../core/tokens.js';
import { readConfig, tableName } from '../platform/config.js';
import { runtime } from '../platform/runtime.js';
import { probeSettingsSchema, urlPolicyOf } from '../probe/settings.js';
import { applyConfigFile, describeApplied } from '../targets/apply-config.js';

/**
 * Deploy-time bootstrap, run by a CloudFormation custom resource when the deploy changes it: installs the
 * admin token whose value CloudFormation generated into Secrets Manager (only its hash reaches DynamoDB),
 * and applies the project's `vigil.config.json` (targets as code), passed in as a resource property so that
 * a change to the file re-runs it. An invalid file fails the deploy with the field that is wrong.
 */
const rt = runtime('bootstrap');
const secrets = new SecretsManagerClient({});
const tokens = new DynamoDbTokenStore(rt.db, tableName('tokens', rt.env));
const probesTable = tableName('probes', rt.env);
const urlPolicy = urlPolicyOf(readConfig(probeSettingsSchema, rt.env));

export interface BootstrapResult {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

export async function handler(event: CloudFormationCustomResourceEvent): Promise<BootstrapResult> {
  const physicalId = 'vigil-bootstrap';
  if (event.RequestType === 'Delete') return { PhysicalResourceId: physicalId };
  const secretArn = String(event.ResourceProperties.AdminTokenSecretArn ?? '');
  const secret = await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
  if (!secret.SecretString) throw new Error(`secret ${secretArn} has no string value`);
  const record = await installBootstrapToken(tokens, secret.SecretString.trim(), rt.clock(), 'admin (deployment)');
  rt.obs.logger.info('bootstrap admin token installed', { tokenId: record.id });
  const configFile = String(event.ResourceProperties.ConfigFile ?? '');
  let targets = 'no config file';
  if (configFile) {
    const applied = await applyConfigFile(rt.db, probesTable, configFile, rt.clock(), urlPolicy);
    targets = describeApplied(applied);
    rt.obs.logger.info('config file applied', { ...applied });
  }
  return { PhysicalResourceId: physicalId, Data: { AdminTokenId: record.id, Targets: targets } };
}
