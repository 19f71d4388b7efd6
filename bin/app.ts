import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { vigilStacks } from '../lib/vigil-app.js';

/** The CDK app: composes the stacks from context (cdk.json or `-c key=value`); nothing else. */
const app = new App();
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
vigilStacks(app, { projectRoot });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
