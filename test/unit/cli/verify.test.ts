import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../cli/src/main.js';
import { type ApiDouble, done, running, startApiDouble } from '../../support/verify-api-double.js';
import { testIo } from './test-io.js';

const ARGS = ['verify', '--service', 'checkout', '--environment', 'staging', '--version', '1.4.2', '--wait'];
let api: ApiDouble | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function run(
  polls: Parameters<typeof startApiDouble>[0]['polls'],
  extra: string[] = [],
  start?: Parameters<typeof startApiDouble>[0]['start'],
) {
  api = await startApiDouble({ polls, ...(start ? { start } : {}) });
  const io = testIo({ VIGIL_ENDPOINT: api.url, VIGIL_TOKEN: 'vgl_test_token' });
  const code = await main([...ARGS, ...extra], io);
  return { code, io, api };
}

describe('vigil verify: verdicts and exit codes', () => {
  it('prints one line per check state change, the verdict and its reasons, and exits 0 on pass', async () => {
    const { code, io, api } = await run([
      running({ health: { state: 'pending' } }),
      running({ health: { state: 'pending' } }),
      running({
        health: { state: 'passed', reasons: [{ code: 'health-passes', message: '3 of 3 passes' }] },
        canary: { state: 'running' },
      }),
      done('pass'),
    ]);
    expect(code).toBe(0);
    const lines = io.out().split('\n');
    expect(lines.filter((l) => l.includes('health:'))).toEqual([
      '[0s] health: pending',
      '[5s] health: pending → passed — 3 of 3 passes [health-passes]',
    ]);
    expect(lines.filter((l) => l.includes('canary:'))).toEqual([
      '[5s] canary: running',
      '[7s] canary: running → passed',
    ]);
    expect(io.out()).toContain(
      'verdict: PASS (score 100) — checkout 1.4.2 in staging\n  - the verification ended pass [verdict-pass]',
    );
    expect(io.out()).toContain('rollback: no');
    const post = api.requests[0]!;
    expect(post.method).toBe('POST');
    expect(post.headers.authorization).toBe('Bearer vgl_test_token');
    expect(post.body).toEqual({ service: 'checkout', environment: 'staging', version: '1.4.2' });
    expect(api.requests.slice(1).map((r) => `${r.method} ${r.path}`)).toEqual(
      Array(4).fill('GET /v1/verifications/ver_1'),
    );
  });

  it.each([
    ['marginal', [], 0],
    ['marginal', ['--strict'], 1],
    ['fail', [], 1],
    ['inconclusive', [], 1],
    ['pass', ['--strict'], 0],
  ] as const)('%s %j exits %i', async (verdict, extra, expected) => {
    const { code, io } = await run([done(verdict, { rollback: false })], [...extra]);
    expect(code).toBe(expected);
    expect(io.out()).toContain(`verdict: ${verdict.toUpperCase()}`);
  });

  it('runs --rollback-command through the shell on a rollback verdict, with the verdict in its environment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-'));
    const file = join(dir, 'rolled-back');
    const command = `printf '%s %s %s %s %s' "$VIGIL_VERIFICATION_ID" "$VIGIL_VERDICT" "$VIGIL_SERVICE" "$VIGIL_ENVIRONMENT" "$VIGIL_VERSION" > '${file}'`;
    const { code, io } = await run([done('fail')], ['--rollback-command', command]);
    expect(code).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe('ver_1 fail checkout staging 1.4.2');
    expect(io.out()).toContain('rollback: yes');
    expect(io.out()).toContain('the rollback command exited with status 0');
  });

  it('reports a failing rollback command and still exits 1 for the verdict', async () => {
    const { code, io } = await run([done('fail')], ['--rollback-command', 'exit 7']);
    expect(code).toBe(1);
    expect(io.out()).toContain('the rollback command exited with status 7');
  });

  it('does not run the rollback command when the verdict asks for no rollback', async () => {
    const { code, io } = await run([done('inconclusive', { rollback: false })], ['--rollback-command', 'exit 0']);
    expect(code).toBe(1);
    expect(io.shells).toEqual([]);
  });

  it('says so when a rollback is asked for and no command was given', async () => {
    const { io } = await run([done('fail')]);
    expect(io.err()).toContain('the verdict asks for a rollback; no --rollback-command was given');
  });

  it('reads the stored record shape: request nested, checks by status, the verdict as an object', async () => {
    const record = (status: string, checks: Record<string, unknown>, verdict?: unknown) => ({
      status: 200,
      body: {
        id: 'ver_1',
        status,
        request: { service: 'checkout', environment: 'staging', version: '1.4.2' },
        checks,
        verdict,
      },
    });
    const { code, io } = await run(
      [
        record('running', { health: { status: 'running', reasons: [], evidence: {} } }),
        record(
          'done',
          { health: { status: 'fail', reasons: [{ code: 'health-timeout', message: '1 of 3 passes in 120 s' }] } },
          {
            verdict: 'fail',
            score: 0,
            reasons: [{ code: 'health-failed', message: 'the health endpoint did not pass 3 times in a row' }],
            rollback: true,
            rollbackReason: { code: 'rollback-on-verdict', message: 'fail asks for a rollback' },
          },
        ),
      ],
      ['--rollback-command', 'true'],
    );
    expect(code).toBe(1);
    expect(io.out()).toContain('health: running → fail — 1 of 3 passes in 120 s [health-timeout]');
    expect(io.out()).toContain(
      'verdict: FAIL (score 0) — checkout 1.4.2 in staging\n  - the health endpoint did not pass 3 times in a row [health-failed]',
    );
    expect(io.shells.map((s) => s.command)).toEqual(['true']);
  });

  it('reads a rollback decision given as an object', async () => {
    const { io } = await run(
      [done('fail', { rollback: { rollback: true, reason: { code: 'verdict-fail', message: 'x' } } })],
      ['--rollback-command', 'true'],
    );
    expect(io.shells.map((s) => s.command)).toEqual(['true']);
  });
});

describe('vigil verify: usage, connection and API errors exit 2', () => {
  it.each([
    [['verify', '--environment', 'staging', '--version', '1'], '--service is required'],
    [[...ARGS, '--colour'], "Unknown option '--colour'"],
    [[...ARGS, '--max-p95-ms', 'fast'], '--max-p95-ms: expected a number, 0 or more, got "fast"'],
    [[...ARGS, '--max-error-rate', '5'], '--max-error-rate: expected a fraction between 0 and 1'],
    [[...ARGS, '--canary-metrics', 'latency:bigger'], '"bigger" in "latency:bigger" is not one of'],
    [[...ARGS, '--rollback-on', 'fail,maybe'], '--rollback-on: "maybe" is not a verdict'],
    [[...ARGS, '--deploy-url', 'ftp://x'], '--deploy-url: expected an http(s) URL'],
    [[...ARGS, '--format', 'yaml'], '--format: expected one of text, markdown, json'],
    [[...ARGS, '--config', '/nonexistent/verify.json'], '--config /nonexistent/verify.json: cannot read it (ENOENT)'],
  ])('%j → %s', async (args, message) => {
    const io = testIo({ VIGIL_ENDPOINT: 'http://127.0.0.1:9', VIGIL_TOKEN: 't' });
    expect(await main(args, io)).toBe(2);
    expect(io.err()).toContain(message);
    expect(io.err()).toContain('vigil verify --help');
  });

  it('needs VIGIL_TOKEN and VIGIL_ENDPOINT', async () => {
    const noToken = testIo({ VIGIL_ENDPOINT: 'http://127.0.0.1:9' });
    expect(await main(ARGS, noToken)).toBe(2);
    expect(noToken.err()).toContain('set VIGIL_TOKEN');
    const noEndpoint = testIo({ VIGIL_TOKEN: 't' });
    expect(await main(ARGS, noEndpoint)).toBe(2);
    expect(noEndpoint.err()).toContain('set VIGIL_ENDPOINT');
  });

  it('prints the problem+json detail and each field of a 4xx answer', async () => {
    const { code, io } = await run([], [], {
      status: 400,
      body: {
        type: 'https://vigil.dev/problems/400',
        title: 'Invalid request',
        status: 400,
        detail: 'the request body is not valid',
        errors: [{ path: 'checks.canary.intervalSeconds', message: 'must be at least 10' }],
      },
    });
    expect(code).toBe(2);
    expect(io.err()).toContain('answered 400: Invalid request: the request body is not valid');
    expect(io.err()).toContain('  checks.canary.intervalSeconds: must be at least 10');
  });

  it('exits 2 on 401 with the detail', async () => {
    const { code, io } = await run([], [], {
      status: 401,
      body: { title: 'Unauthorized', status: 401, detail: 'unknown token' },
    });
    expect(code).toBe(2);
    expect(io.err()).toContain('answered 401: Unauthorized: unknown token');
  });

  it('exits 2 when nothing answers', async () => {
    const probe = await startApiDouble({ polls: [] });
    const closedUrl = probe.url;
    await probe.close();
    const io = testIo({ VIGIL_ENDPOINT: closedUrl, VIGIL_TOKEN: 't' });
    expect(await main(ARGS, io)).toBe(2);
    expect(io.err()).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/v1\/verifications: no answer \(ECONNREFUSED\)/);
  });

  it('exits 2 on a 4xx while polling, without asking again', async () => {
    const { code, io, api } = await run([
      { status: 403, body: { title: 'Forbidden', status: 403, detail: 'the token lacks the verify scope' } },
    ]);
    expect(code).toBe(2);
    expect(io.err()).toContain('the token lacks the verify scope');
    expect(api.requests).toHaveLength(2);
  });

  it('asks again after a transient 503 and gives up after five in a row', async () => {
    const flaky = await run([
      { status: 503, body: { title: 'Unavailable', status: 503, detail: 'try later' } },
      done('pass'),
    ]);
    expect(flaky.code).toBe(0);
    expect(flaky.io.out()).toContain('asking again');
    await flaky.api.close();
    api = undefined;
    const down = await run([{ status: 502, body: 'Bad Gateway', contentType: 'text/plain' }]);
    expect(down.code).toBe(2);
    expect(down.api.requests).toHaveLength(1 + 6);
    expect(down.io.err()).toContain('answered 502: Bad Gateway');
  });

  it('gives up at --timeout with exit 2, polling with backoff up to --max-poll-interval', async () => {
    const { code, io } = await run(
      [running({ canary: { state: 'running' } })],
      ['--timeout', '60', '--max-poll-interval', '10', '--summary', 'summary.md'],
    );
    expect(code).toBe(2);
    expect(io.err()).toContain(
      'no verdict after 60 s (--timeout); the verification may still be running: http://127.0.0.1:',
    );
    expect(io.files.get('summary.md')).toMatch(
      /^### ❔ Vigil verification: no verdict\n\n- Verification: `ver_1` \(http:\/\/127\.0\.0\.1:\d+\/v1\/verifications\/ver_1\)\n- no verdict after 60 s/,
    );
    expect(io.sleeps).toEqual([2000, 3000, 4500, 6750, 10000, 10000, 10000, 10000, 3750]);
    expect(io.sleeps.reduce((a, b) => a + b)).toBe(60_000);
  });
});

describe('vigil verify: request, config file and output', () => {
  it('builds the request body from flags over --config, and sends it as JSON', async () => {
    const io0 = testIo({});
    const config = {
      service: 'cart',
      environment: 'staging',
      version: '0.9',
      deployUrl: 'https://cart.staging.internal',
      checks: {
        health: { path: '/healthz', consecutivePasses: 3, timeoutSeconds: 120 },
        canary: { baselineVersion: '0.8', intervalSeconds: 60, durationSeconds: 600 },
      },
      rollback: { webhook: 'https://hooks.example.com/rollback', onVerdict: ['fail'] },
    };
    api = await startApiDouble({ polls: [done('pass')] });
    const io = testIo({ VIGIL_ENDPOINT: api.url, VIGIL_TOKEN: 't' });
    io.files.set('verify.json', JSON.stringify(config));
    void io0;
    const code = await main(
      [
        ...ARGS,
        '--config',
        'verify.json',
        '--consecutive-passes',
        '5',
        '--health-interval',
        '2',
        '--metrics',
        'http.server.requests, http.server.duration',
        '--max-p95-ms',
        '800',
        '--max-p99-ms',
        '1500',
        '--max-regression-pct',
        '20',
        '--max-error-rate',
        '0.01',
        '--canary-metrics',
        'http.server.duration:increase:+10%,errors:count:critical,queue.depth:either:+50',
        '--canary-max-duration',
        '1200',
        '--pass-score',
        '95',
        '--marginal-score',
        '75',
        '--slo',
        'checkout-availability',
        '--new-errors-critical',
        '--rollback-on',
        'fail,inconclusive',
      ],
      io,
    );
    expect(code).toBe(0);
    expect(api.requests[0]!.headers['content-type']).toBe('application/json');
    expect(api.requests[0]!.body).toEqual({
      service: 'checkout',
      environment: 'staging',
      version: '1.4.2',
      deployUrl: 'https://cart.staging.internal',
      checks: {
        health: { path: '/healthz', consecutivePasses: 5, timeoutSeconds: 120, intervalSeconds: 2 },
        metrics: { required: ['http.server.requests', 'http.server.duration'] },
        performance: { maxP95Ms: 800, maxP99Ms: 1500, maxRegressionPct: 20, maxErrorRate: 0.01 },
        canary: {
          baselineVersion: '0.8',
          intervalSeconds: 60,
          durationSeconds: 600,
          maxDurationSeconds: 1200,
          passScore: 95,
          marginalScore: 75,
          metrics: [
            { name: 'http.server.duration', direction: 'increase', allowedIncreasePct: 10 },
            { name: 'errors', kind: 'count', critical: true },
            { name: 'queue.depth', direction: 'either', allowedIncreaseAbs: 50 },
          ],
        },
        errorBudget: { slo: 'checkout-availability' },
        newErrors: { critical: true },
      },
      rollback: { webhook: 'https://hooks.example.com/rollback', onVerdict: ['fail', 'inconclusive'] },
    });
  });

  it('--health and --performance ask for the check with the API defaults', async () => {
    const { api } = await run([done('pass')], ['--health', '--performance', '--new-errors']);
    expect(api.requests[0]!.body).toMatchObject({ checks: { health: {}, performance: {}, newErrors: {} } });
  });

  it('refuses a --config file that is not a JSON object', async () => {
    const io = testIo({ VIGIL_ENDPOINT: 'http://127.0.0.1:9', VIGIL_TOKEN: 't' });
    io.files.set('a.json', '[1]');
    io.files.set('b.json', '{"service": ');
    expect(await main([...ARGS, '--config', 'a.json'], io)).toBe(2);
    expect(await main([...ARGS, '--config', 'b.json'], io)).toBe(2);
    expect(io.err()).toContain('--config a.json: expected a JSON object (the request body)');
    expect(io.err()).toContain('--config b.json: not valid JSON');
  });

  it('without --wait prints the id and exits 0 without polling', async () => {
    api = await startApiDouble({ polls: [done('fail')] });
    const io = testIo({ VIGIL_ENDPOINT: api.url, VIGIL_TOKEN: 't' });
    expect(
      await main(
        ARGS.filter((a) => a !== '--wait'),
        io,
      ),
    ).toBe(0);
    expect(io.out()).toContain('started verification ver_1 of checkout 1.4.2 in staging');
    expect(api.requests).toHaveLength(1);
  });

  it('appends a Markdown verdict to --summary and prints JSON with --format json', async () => {
    const { code, io } = await run(
      [done('fail')],
      ['--summary', 'summary.md', '--format', 'json', '--rollback-command', 'exit 0'],
    );
    expect(code).toBe(1);
    const json = JSON.parse(io.out()) as { verdict: string; id: string };
    expect(json).toMatchObject({ id: 'ver_1', verdict: 'fail' });
    expect(io.err()).toContain('started verification ver_1');
    expect(io.files.get('summary.md')).toBe(
      [
        '### ❌ Vigil verification: fail — checkout 1.4.2 in staging',
        '',
        `- Verification: \`ver_1\` (${api!.url}/v1/verifications/ver_1)`,
        '- Score: 50',
        '- Rollback: yes — the rollback command exited with status 0',
        '',
        '**Reasons**',
        '',
        '- the verification ended fail [verdict-fail]',
        '',
        '| Check | State | Detail |',
        '| --- | --- | --- |',
        '| health | passed |  |',
        '| canary | failed |  |',
        '',
      ].join('\n'),
    );
  });

  it('never sends the token to a statusUrl on another origin', async () => {
    const { code, api } = await run([done('pass')], [], {
      status: 202,
      body: { id: 'ver_1', status: 'running', statusUrl: 'https://elsewhere.example.com/v1/verifications/ver_1' },
    });
    expect(code).toBe(0);
    expect(api.requests[1]!.path).toBe('/v1/verifications/ver_1');
  });
});

describe('vigil', () => {
  it.each([
    [['--help'], 0, 'Usage: vigil <command>'],
    [['verify', '--help'], 0, 'Usage: vigil verify'],
    [['help', 'verify'], 0, 'Usage: vigil verify'],
    [['rules', '--help'], 0, 'Usage: vigil rules test FILE'],
    [['--version'], 0, '0.1.0'],
  ])('%j exits %i', async (args, code, text) => {
    const io = testIo({});
    expect(await main(args, io)).toBe(code);
    expect(io.out()).toContain(text);
  });

  it.each([[[]], [['deploy']], [['--bogus']], [['rules', 'lint']]])('%j is a usage error', async (args) => {
    const io = testIo({});
    expect(await main(args, io)).toBe(2);
    expect(io.err()).toContain('Usage: vigil');
  });
});
