import { Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { FUNCTION_NAMES, FUNCTIONS, type FunctionName, type FunctionSpec } from '../functions/catalog/functions.js';
import { SETTINGS } from '../functions/catalog/settings.js';
import type { VigilFunction } from './vigil-function.js';

/**
 * The key that signs paging cursors (`functions/adapters/cursor.ts`), one per deployment so that every
 * instance of a function accepts the cursors of the others. It is a generated secret; the template holds
 * only a dynamic reference, which CloudFormation resolves into the environment of the functions whose
 * catalogue entry reads `cursorKey`.
 */
export function addCursorKey(scope: Construct, made: Readonly<Record<FunctionName, VigilFunction>>): void {
  const secret = new secretsmanager.Secret(scope, 'cursor-key', {
    description: 'Vigil: HMAC key of paging cursors (rotating it only invalidates open cursors)',
    generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
  });
  Validations.of(secret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'The cursor key only authenticates paging cursors; a new value takes effect at the next deploy and only invalidates cursors in use. Rotation without a redeploy would not reach the functions.',
  });
  for (const name of FUNCTION_NAMES) {
    const spec: FunctionSpec = FUNCTIONS[name];
    if (!spec.settings.includes('cursorKey')) continue;
    made[name].fn.addEnvironment(SETTINGS.cursorKey.env, secret.secretValue.unsafeUnwrap());
  }
}
