import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterAll } from 'vitest';

/**
 * A CDK app for tests whose synth output goes to a temporary folder that is removed when the test file
 * ends (an `App` without `outdir` leaves a `cdk.out*` folder in the system temp dir at every synth).
 */
const made: string[] = [];

afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function testApp(context: Record<string, unknown> = {}): App {
  const outdir = mkdtempSync(join(tmpdir(), 'vigil-cdk-'));
  made.push(outdir);
  return new App({ outdir, context });
}
