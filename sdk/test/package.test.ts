import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The package as a service installs it: `npm pack` (which builds dist/ through `prepack`), unpacked
// into a project outside the workspace, then imported by plain node and type-checked by tsc.
const sdkDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(sdkDir, '..');
let work: string;
let consumer: string;
let files: string[];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'vigil-sdk-pack-'));
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
      cwd: sdkDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  ) as Array<{ filename: string; files: Array<{ path: string }> }>;
  files = packed[0]!.files.map((f) => f.path);
  consumer = join(work, 'consumer');
  const target = join(consumer, 'node_modules', '@vigil', 'sdk');
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', join(work, packed[0]!.filename), '-C', target, '--strip-components=1']);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
}, 120_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

// tsc on a consumer and plain node processes: slow while the whole suite shares the machine.
describe('@vigil/sdk as published', { timeout: 120_000 }, () => {
  it('ships ESM with type declarations and no runtime dependencies or tests', () => {
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files.some((f) => f.startsWith('test/') || f.startsWith('examples/'))).toBe(false);
    const manifest = JSON.parse(readFileSync(join(consumer, 'node_modules/@vigil/sdk/package.json'), 'utf8'));
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.type).toBe('module');
  });

  it('is importable by plain node, outside the workspace', () => {
    writeFileSync(
      join(consumer, 'index.mjs'),
      [
        "import { configureLogging, configureMetrics, configureTracing, counter, startSpan, setupMonitoring } from '@vigil/sdk';",
        'configureLogging({ console: false });',
        "configureTracing({ exporter: 'none' });",
        "configureMetrics({ backend: 'prometheus' });",
        "counter('orders.created').labels({ channel: 'web' }).inc();",
        "const span = startSpan('work'); span.end();",
        'console.log(typeof setupMonitoring, span.traceparent().length);',
      ].join('\n'),
    );
    const out = execFileSync(process.execPath, ['index.mjs'], { cwd: consumer, encoding: 'utf8', stdio: 'pipe' });
    expect(out.trim()).toBe('function 55');
  });

  it('is require()d from CommonJS by plain node (require(esm), Node 20.19+ and 22.12+)', () => {
    const cjs = join(consumer, 'cjs');
    mkdirSync(cjs, { recursive: true });
    // A CommonJS project beside the ESM one; node_modules is found upwards, as in a real install.
    writeFileSync(join(cjs, 'package.json'), JSON.stringify({ name: 'cjs-consumer', type: 'commonjs', private: true }));
    writeFileSync(
      join(cjs, 'index.js'),
      [
        "const sdk = require('@vigil/sdk');",
        'const { configureMetrics, counter, renderPrometheus, startSpan } = sdk;',
        "configureMetrics({ backend: 'prometheus' });",
        "counter('orders.created').inc(2);",
        "const span = startSpan('work'); span.end();",
        "console.log(typeof require('@vigil/sdk').setupMonitoring, span.traceparent().length, renderPrometheus().includes('orders_created_total 2'));",
      ].join('\n'),
    );
    const out = execFileSync(process.execPath, ['index.js'], { cwd: cjs, encoding: 'utf8', stdio: 'pipe' });
    expect(out.trim()).toBe('function 55 true');
  });

  it('type-checks a consumer against the shipped declarations', () => {
    writeFileSync(
      join(consumer, 'check.ts'),
      [
        "import { configureTracing, counter, histogram, logger, registerHealthCheck, type Span, withSpan } from '@vigil/sdk';",
        "configureTracing({ serviceName: 'checkout', sampleRate: 0.1, exporter: 'vigil' });",
        "counter('orders.created').labels({ channel: 'web' }).inc();",
        "histogram('cart.size').observe(3, { channel: 'web' });",
        "logger.info('placed', { orderId: '42' });",
        "registerHealthCheck('database', async () => ({ observedValue: 3 }), { critical: true, timeoutMs: 500 });",
        "const n: number = await withSpan('price', async (span: Span) => { span.setAttribute('items', 2); return 2; });",
        '// @ts-expect-error counters only go up by numbers',
        "counter('x').inc('one');",
        'export { n };',
      ].join('\n'),
    );
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          types: ['node'],
          typeRoots: [join(root, 'node_modules', '@types')],
        },
        files: ['check.ts'],
      }),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    expect(() => execFileSync(process.execPath, [tsc, '-p', consumer], { encoding: 'utf8' })).not.toThrow();
  });
});
