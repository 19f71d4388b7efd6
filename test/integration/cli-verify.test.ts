import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemIo } from '../../cli/src/io.js';
import { main } from '../../cli/src/main.js';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';

/**
 * `vigil verify` against the real verification API and worker in local mode (dynalite, the in-process step
 * queue), with a small service whose health endpoint passes on one path and fails on another. Waiting is on
 * the verdict (the CLI polls), never on a time.
 */
let vigil: TestVigil;
let service: Server;
let serviceUrl: string;
let token: string;

beforeAll(async () => {
  vigil = await startTestVigil({ VIGIL_VERIFY_MIN_INTERVAL_SECONDS: '1' });
  token = await vigil.mintToken(['verify'], 'ci');
  service = createServer((req, res) => {
    const ok = req.url === '/health';
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/health+json' });
    res.end(JSON.stringify({ status: ok ? 'pass' : 'fail' }));
  });
  await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
  serviceUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => service?.close(() => resolve()));
  await vigil?.close();
});

function cli(args: string[]) {
  let out = '';
  let err = '';
  const io = {
    ...systemIo(),
    env: { VIGIL_ENDPOINT: vigil.url, VIGIL_TOKEN: token },
    stdout: (t: string) => {
      out += t;
    },
    stderr: (t: string) => {
      err += t;
    },
  };
  const base = ['verify', '--service', 'checkout', '--environment', 'staging', '--version', '1.4.2'];
  const polling = ['--wait', '--poll-interval', '0.2', '--max-poll-interval', '0.5', '--timeout', '120'];
  return main([...base, ...polling, ...args], io).then((code) => ({ code, out, err }));
}

describe('vigil verify against local mode', () => {
  it('exits 0 when the health check passes', async () => {
    const { code, out } = await cli([
      '--deploy-url',
      serviceUrl,
      '--health-path',
      '/health',
      '--consecutive-passes',
      '2',
      '--health-interval',
      '1',
    ]);
    expect(out).toMatch(/started verification [0-9a-f-]{36} of checkout 1\.4\.2 in staging/);
    expect(out).toMatch(/health: running → pass/);
    expect(out).toContain('verdict: PASS');
    expect(out).toContain('rollback: no');
    expect(code).toBe(0);
  });

  it('exits 1 on a failing health check and runs the rollback command', async () => {
    const { code, out } = await cli([
      '--deploy-url',
      serviceUrl,
      '--health-path',
      '/down',
      '--health-interval',
      '1',
      '--health-timeout',
      '3',
      '--rollback-command',
      'test "$VIGIL_VERDICT" = fail && test "$VIGIL_SERVICE" = checkout',
    ]);
    expect(out).toMatch(/health: running → fail/);
    expect(out).toContain('verdict: FAIL');
    expect(out).toContain('rollback: yes');
    expect(out).toContain('the rollback command exited with status 0');
    expect(code).toBe(1);
  });

  it('exits 2 with the field named when the API refuses the request', async () => {
    const { code, err } = await cli(['--deploy-url', serviceUrl, '--consecutive-passes', '500']);
    expect(err).toContain('answered 400');
    expect(err).toContain('checks.health.consecutivePasses');
    expect(code).toBe(2);
  });

  it('exits 2 when the token lacks the verify scope', async () => {
    token = await vigil.mintToken(['read'], 'reader');
    const { code, err } = await cli(['--deploy-url', serviceUrl, '--health']);
    expect(err).toContain('answered 403');
    expect(code).toBe(2);
  });
});
