import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** The `vigil` bin as npm links it: from the sources in the repository, and as the packed bundle. */
const temp = mkdtempSync(join(tmpdir(), 'vigil-cli-pack-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('@vigil/cli package', () => {
  it('declares the vigil bin and no dependencies (it installs without the AWS parts)', () => {
    const pkg = JSON.parse(readFileSync('cli/package.json', 'utf8')) as Record<string, unknown>;
    expect(pkg.name).toBe('@vigil/cli');
    expect(pkg.bin).toEqual({ vigil: './bin/vigil.js' });
    expect(pkg.dependencies).toBeUndefined();
    expect(pkg.files).toEqual(['bin', 'dist']);
    const root = JSON.parse(readFileSync('package.json', 'utf8')) as { workspaces: string[] };
    expect(root.workspaces).toContain('cli');
  });

  it('runs from the TypeScript sources through node_modules/.bin/vigil, with no build step', () => {
    const result = spawnSync('node_modules/.bin/vigil', ['verify', '--help'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: vigil verify');
    const usage = spawnSync('node_modules/.bin/vigil', ['verify'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
    });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('set VIGIL_ENDPOINT');
  });

  it('dispatches vigil rules test to the rule test runner: the shipped examples pass and fail', () => {
    const pass = spawnSync('node_modules/.bin/vigil', ['rules', 'test', 'examples/rules/checkout.test.yaml'], {
      encoding: 'utf8',
    });
    expect(pass.stderr).toBe('');
    expect(pass.status).toBe(0);
    const fail = spawnSync('node_modules/.bin/vigil', ['rules', 'test', 'examples/rules/failing.test.yaml'], {
      encoding: 'utf8',
    });
    expect(fail.status).toBe(1);
  });

  it('runs as the packed bundle (bin/ + dist/ only), which contains no AWS SDK', () => {
    // The layout `npm pack` ships: bin/vigil.js beside dist/vigil.js, no src/.
    mkdirSync(join(temp, 'bin'));
    copyFileSync('cli/bin/vigil.js', join(temp, 'bin', 'vigil.js'));
    execFileSync('node', ['cli/build.mjs', join(temp, 'dist', 'vigil.js')]);
    const bundle = readFileSync(join(temp, 'dist', 'vigil.js'), 'utf8');
    expect(bundle).not.toMatch(/@aws-sdk|aws-cdk-lib/);
    const result = spawnSync('node', [join(temp, 'bin', 'vigil.js'), '--version'], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('0.1.0\n');
    expect(result.status).toBe(0);
    // The rule test runner is in the bundle too (loaded on demand), with its YAML parser.
    const rules = spawnSync(
      'node',
      [join(temp, 'bin', 'vigil.js'), 'rules', 'test', 'examples/rules/checkout.test.yaml'],
      {
        encoding: 'utf8',
      },
    );
    expect(rules.stderr).toBe('');
    expect(rules.status).toBe(0);
    const failing = spawnSync(
      'node',
      [join(temp, 'bin', 'vigil.js'), 'rules', 'test', 'examples/rules/failing.test.yaml'],
      {
        encoding: 'utf8',
      },
    );
    expect(failing.status).toBe(1);
  });
});
