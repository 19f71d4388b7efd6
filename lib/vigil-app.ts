import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { referencedSecrets } from '../functions/core/probing/config-checks.js';
import type { UrlPolicy } from '../functions/core/url-policy.js';
import { urlPolicyOf } from '../functions/platform/url-policy-setting.js';
import { parseConfigRules } from '../functions/rules/apply-config.js';
import { parseConfigFile } from '../functions/targets/apply-config.js';
import { ServiceStack } from './service-stack.js';
import { deploySettings, isProduction } from './settings.js';
import { StatefulStack } from './stateful-stack.js';

/** Reads and checks the config file at synth, so a bad file fails `cdk synth` before any deploy. */
function configFile(path: string, policy: UrlPolicy): { contents: string; secretRefs: string[] } | undefined {
  if (!existsSync(path)) return undefined;
  const contents = readFileSync(path, 'utf8');
  try {
    const secretRefs = referencedSecrets(parseConfigFile(contents, policy).targets);
    parseConfigRules(JSON.parse(contents));
    return { contents, secretRefs };
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
}

/** Both stacks for one stage, from the app's context. Shared by bin/app.ts and the infrastructure tests. */
export function vigilStacks(app: App, options: { projectRoot: string }) {
  const settings = deploySettings((key) => app.node.tryGetContext(key));
  const config = configFile(resolve(options.projectRoot, settings.configFile), urlPolicyOf(settings));
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const prod = isProduction(settings);
  const stateful = new StatefulStack(app, `Vigil-${settings.stage}-State`, {
    settings,
    env,
    terminationProtection: prod,
    description: 'Vigil: tables, topics, keys (stateful)',
  });
  const service = new ServiceStack(app, `Vigil-${settings.stage}-Service`, {
    settings,
    stateful,
    projectRoot: options.projectRoot,
    ...(config ? { configFile: config.contents, probeSecretRefs: config.secretRefs } : {}),
    env,
    description: 'Vigil: functions, HTTP API, schedules, alarms',
  });
  return { settings, stateful, service };
}
