import type { App } from 'aws-cdk-lib';
import { ServiceStack } from './service-stack.js';
import { deploySettings, isProduction } from './settings.js';
import { StatefulStack } from './stateful-stack.js';

/** Both stacks for one stage, from the app's context. Shared by bin/app.ts and the infrastructure tests. */
export function vigilStacks(app: App, options: { projectRoot: string }) {
  const settings = deploySettings((key) => app.node.tryGetContext(key));
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
    env,
    description: 'Vigil: functions, HTTP API, schedules, alarms',
  });
  return { settings, stateful, service };
}
