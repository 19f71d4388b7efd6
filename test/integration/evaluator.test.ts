import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';

/** The evaluator as local mode schedules it: its heartbeat, as the EMF line Powertools writes for CloudWatch. */
let vigil: TestVigil;

beforeAll(async () => {
  vigil = await startTestVigil({ POWERTOOLS_METRICS_DISABLED: 'false' });
});
afterAll(() => vigil?.close());

async function emfOfRun(): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const capture = (chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  };
  const spies = [
    vi.spyOn(console, 'log').mockImplementation(capture),
    vi.spyOn(process.stdout, 'write').mockImplementation(capture),
  ];
  try {
    await vigil.runSchedule('evaluator');
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.includes('"_aws"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('evaluator function', () => {
  it('is scheduled in local mode with the tables and settings of its catalogue entry', () => {
    const env = vigil.environmentOf('evaluator');
    expect(Object.keys(env)).toEqual(
      expect.arrayContaining(['VIGIL_TABLE_ALERTS', 'VIGIL_TABLE_TELEMETRY', 'VIGIL_TABLE_PROBES']),
    );
    expect(env.VIGIL_TABLE_TOKENS).toBeUndefined();
    expect(env.VIGIL_NOTIFIER).toBe('local');
  });

  it('publishes its heartbeat on every completed run', async () => {
    const emf = (await emfOfRun()).find((m) => 'EvaluatorHeartbeat' in m);
    expect(emf).toMatchObject({ EvaluatorHeartbeat: 1, service: 'vigil-evaluator' });
    const aws = emf?._aws as { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string; Unit: string }[] }[] };
    expect(aws.CloudWatchMetrics[0]?.Namespace).toBe('Vigil');
    expect(aws.CloudWatchMetrics[0]?.Metrics).toContainEqual({ Name: 'EvaluatorHeartbeat', Unit: 'Count' });
  });
});
