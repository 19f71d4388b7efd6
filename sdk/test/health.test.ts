import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkHealth, configureHealthChecks, healthHandler, setHealthClock } from '../src/health/configure.js';
import { checks, registerDependency, registerHealthCheck } from '../src/health/registry.js';
import { type Recorder, startRecorder } from './helpers/recorder.js';

let now = 1_764_169_200_000;
let recorder: Recorder;

beforeEach(async () => {
  checks.clear();
  now = 1_764_169_200_000;
  setHealthClock(() => now);
  configureHealthChecks({ cacheTtl: 0, includeDependencies: false }, {});
  recorder = await startRecorder();
});
afterEach(() => recorder.close());

describe('health checks', () => {
  it('passes with component:measurement keys, componentType, observedValue and time', async () => {
    registerHealthCheck(
      'database',
      () => ({ measurement: 'connections', observedValue: 12, observedUnit: 'connections' }),
      { componentType: 'datastore' },
    );
    registerHealthCheck('cache', async () => undefined);
    const report = await checkHealth();
    expect(report.status).toBe('pass');
    expect(report.checks['database:connections']).toEqual([
      {
        componentType: 'datastore',
        observedValue: 12,
        observedUnit: 'connections',
        status: 'pass',
        time: '2025-11-26T15:00:00.000Z',
      },
    ]);
    expect(report.checks['cache:responseTime']![0]).toMatchObject({
      componentType: 'component',
      observedUnit: 'ms',
      status: 'pass',
    });
    expect(typeof report.checks['cache:responseTime']![0]!.observedValue).toBe('number');
  });

  it('a failing critical check fails; a failing non-critical one warns', async () => {
    registerHealthCheck('optional', () => false, { critical: false });
    expect((await checkHealth()).status).toBe('warn');
    registerHealthCheck('database', async () => {
      throw new Error('connection refused');
    });
    const report = await checkHealth();
    expect(report.status).toBe('fail');
    expect(report.checks['database:responseTime']![0]).toMatchObject({ status: 'fail', output: 'connection refused' });
    expect(report.checks['optional:responseTime']![0]).toMatchObject({
      status: 'fail',
      output: 'check returned false',
    });
  });

  it('a check slower than its timeout fails without waiting for it', async () => {
    registerHealthCheck('slow', () => new Promise(() => undefined), { timeoutMs: 50 });
    // The check never settles: only its timeout can end checkHealth.
    const report = await checkHealth();
    expect(report.checks['slow:responseTime']![0]).toMatchObject({ status: 'fail', output: 'timed out after 50ms' });
  });

  it('caches results for cacheTtl seconds', async () => {
    configureHealthChecks({ cacheTtl: 60 }, {});
    let runs = 0;
    registerHealthCheck('counted', () => {
      runs++;
    });
    await checkHealth();
    await Promise.all([checkHealth(), checkHealth()]);
    now += 59_000;
    await checkHealth();
    expect(runs).toBe(1);
    now += 2000;
    await checkHealth();
    expect(runs).toBe(2);
  });

  it('checks registered dependencies only with includeDependencies', async () => {
    recorder.respond(() => ({ status: 503 }));
    registerDependency('payments', `${recorder.url}/health`);
    expect(Object.keys((await checkHealth()).checks)).toEqual([]);
    configureHealthChecks({ includeDependencies: true, cacheTtl: 0 }, {});
    const report = await checkHealth();
    expect(report.status).toBe('warn');
    expect(report.checks['payments:responseTime']![0]).toMatchObject({
      status: 'fail',
      componentId: `${recorder.url}/health`,
    });
    recorder.respond(() => ({ status: 200, body: { status: 'pass' } }));
    expect((await checkHealth()).status).toBe('pass');
  });

  it('answers application/health+json with 200 for pass/warn and 503 for fail', async () => {
    const server = createServer(healthHandler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
    registerHealthCheck('ok', () => true);
    let res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/health+json');
    expect(await res.json()).toMatchObject({ status: 'pass' });
    registerHealthCheck('down', () => false);
    res = await fetch(url);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'fail' });
    server.close();
  });
});
