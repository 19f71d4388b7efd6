import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { FUNCTION_NAMES, FUNCTIONS, type FunctionName, type FunctionSpec } from '../functions/catalog/functions.js';
import type { DeploySettings } from './settings.js';

/**
 * Reserved concurrency from the catalogue: a function whose entry names a `reservedConcurrency` setting
 * gets that many concurrent executions set aside, and never more (0 leaves it unreserved). The ingest
 * function's reservation bounds what a flood of telemetry can cost and take from the prober.
 */
export function reserveConcurrency(
  functions: Readonly<Record<FunctionName, lambda.Function>>,
  settings: DeploySettings,
): void {
  for (const name of FUNCTION_NAMES) {
    const spec: FunctionSpec = FUNCTIONS[name];
    if (!spec.reservedConcurrency) continue;
    const value = (settings as unknown as Record<string, unknown>)[spec.reservedConcurrency];
    if (typeof value !== 'number') {
      throw new Error(`${name}: reservedConcurrency names ${spec.reservedConcurrency}, which is not a deploy setting`);
    }
    if (value > 0) (functions[name].node.defaultChild as lambda.CfnFunction).reservedConcurrentExecutions = value;
  }
}
