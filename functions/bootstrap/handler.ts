import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { DynamoDbTokenStore } from '../adapters/dynamodb-token-store.js';
import { installBootstrapToken } from '../core/tokens.js';
import { tableName } from '../platform/config.js';
import { runtime } from '../platform/runtime.js';

/**
 * Deploy-time bootstrap, run by a CloudFormation custom resource on every deploy: installs the admin token
 * whose value CloudFormation generated into Secrets Manager (only its hash reaches DynamoDB).
 */
const rt = runtime('bootstrap');
const secrets = new SecretsManagerClient({});
const tokens = new DynamoDbTokenStore(rt.db, tableName('tokens', rt.env));

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
  return { PhysicalResourceId: physicalId, Data: { AdminTokenId: record.id } };
}
