import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';
import { startTargetServer, type TargetServer } from '../support/probe-target-server.js';

/** Vigil's own probing metrics, as the EMF lines Powertools writes for CloudWatch. */
let vigil: TestVigil;
let svc: TargetServer;

beforeAll(async () => {
  svc = await startTargetServer();
  vigil = await startTestVigil({ POWERTOOLS_METRICS_DISABLED: 'false' });
});
afterAll(async () => {
  await Promise.all([vigil?.close(), svc?.close()]);
});

describe('probe metrics', () => {
  it('publishes probes run, failures and run duration', async () => {
    svc.set('bad', { kind: 'failing' });
    for (const id of ['good', 'bad']) {
      const res = await vigil.request(`/v1/targets/${id}`, {
        method: 'PUT',
        json: { service: 's', url: `${svc.url}/t/${id}` },
      });
      expect(res.status).toBe(201);
    }
    const lines: string[] = [];
    // Powertools writes EMF through the global console when POWERTOOLS_DEV is set (as in tests), else stdout.
    const capture = (chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    };
    const spies = [
      vi.spyOn(console, 'log').mockImplementation(capture),
      vi.spyOn(process.stdout, 'write').mockImplementation(capture),
    ];
    try {
      await vigil.runSchedule('probe');
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    const emf = lines
      .flatMap((l) => l.split('\n'))
      .filter((l) => l.includes('"_aws"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((m) => 'ProbesRun' in m);
    expect(emf, lines.join('').slice(0, 500)).toBeDefined();
    expect(emf).toMatchObject({ ProbesRun: 2, ProbeFailures: 1, StatusTransitions: 2, service: 'vigil-probe' });
    expect(emf?.ProbeRunDuration).toBeGreaterThan(0);
    const aws = emf?._aws as { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string; Unit: string }[] }[] };
    const names = aws.CloudWatchMetrics[0]!;
    expect(names.Namespace).toBe('Vigil');
    expect(names.Metrics).toContainEqual({ Name: 'ProbeRunDuration', Unit: 'Milliseconds' });
  });
});
