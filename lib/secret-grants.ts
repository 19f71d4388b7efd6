import { ArnFormat, type Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { secretSource } from '../functions/core/probing/secret-ref.js';

/**
 * Read access to exactly the secrets a config file references (functions/core/probing/secret-ref.ts):
 * `secretsmanager:GetSecretValue` on each named secret ARN, `ssm:GetParameter` on each parameter. A secret
 * encrypted with a customer-managed KMS key also needs `kms:Decrypt` on that key, which the operator grants
 * (docs/OPERATIONS.md): Vigil cannot know the key from the reference.
 */
export function grantSecretRefs(stack: Stack, fn: lambda.IFunction, refs: readonly string[]): void {
  const secrets: string[] = [];
  const parameters: string[] = [];
  for (const ref of refs) {
    const source = secretSource(ref);
    if (source?.kind === 'secrets-manager') secrets.push(source.arn);
    else if (source?.kind === 'ssm') {
      parameters.push(
        source.arn ??
          stack.formatArn({
            service: 'ssm',
            resource: 'parameter',
            resourceName: source.name.slice(1),
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
      );
    }
  }
  if (secrets.length > 0) {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: secrets }));
  }
  if (parameters.length > 0) {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: parameters }));
  }
}
