import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';
import { startTargetServer, type TargetServer } from '../support/probe-target-server.js';

/**
 * 500 targets in one run, loaded through a config file (so this also round-trips the file at scale):
 * 50 hang past their 2 s timeout, 50 fail, 25 are slow but in time, the rest are healthy.
 */
const N = 500;
const SLOWEST_TIMEOUT_MS = 2_000;
let vigil: TestVigil;
let svc: TargetServer;

function kindOf(i: number): 'hang' | 'failing' | 'slow' | 'healthy' {
  if (i % 10 === 0) return 'hang';
  if (i % 10 === 1) return 'failing';
  if (i % 20 === 2) return 'slow';
  return 'healthy';
}

beforeAll(async () => {
  svc = await startTargetServer();
  const targets = Array.from({ length: N }, (_, i) => {
    const id = `t${String(i).padStart(3, '0')}`;
    const kind = kindOf(i);
    if (kind === 'hang') svc.set(id, { kind: 'slow', ms: 60_000 });
    if (kind === 'failing') svc.set(id, { kind: 'failing', status: 503 });
    if (kind === 'slow') svc.set(id, { kind: 'slow', ms: 500 });
    return {
      id,
      service: `svc-${i % 7}`,
      url: `${svc.url}/t/${id}`,
      // Answering targets get a timeout no busy machine reaches: only the hanging ones may time out.
      timeoutMs: kind === 'hang' ? SLOWEST_TIMEOUT_MS : 20_000,
      intervalSeconds: 1,
    };
  });
  const dir = mkdtempSync(join(tmpdir(), 'vigil-config-'));
  const file = join(dir, 'vigil.config.json');
  writeFileSync(file, JSON.stringify({ targets }));
  vigil = await startTestVigil({ VIGIL_CONFIG: file }, { clock: () => now });
});
afterAll(async () => {
  await Promise.all([vigil?.close(), svc?.close()]);
});

/** Pinned: the test moves it to the next minute between runs. */
let now = Date.now();

describe('probing at scale', () => {
  // Correctness only: how long a run takes is measured by `npm run bench` (bench/probe.bench.ts), not here.
  it(`probes each of ${N} targets once per run and stores every result`, async () => {
    await vigil.runSchedule('probe');
    expect(svc.hits('t001')).toBe(1);
    now += 60_000; // the next minute: every target is due again
    await vigil.runSchedule('probe');
    expect(svc.hits('t001')).toBe(2);

    const res = await vigil.request('/v1/targets');
    const { items } = (await res.json()) as {
      items: { id: string; managedBy: string; state: { status: string; reason: string | null } }[];
    };
    expect(items).toHaveLength(N);
    expect(items.every((t) => t.managedBy === 'config')).toBe(true);
    const counts: Record<string, number> = {};
    for (const t of items)
      counts[`${t.state.status}:${t.state.reason ?? ''}`] =
        (counts[`${t.state.status}:${t.state.reason ?? ''}`] ?? 0) + 1;
    expect(counts).toEqual({
      'down:timeout after 2000 ms': 50,
      'down:status 503': 50,
      'up:': N - 100,
    });
    // Two runs, each probe recorded in the history (50 hanging targets fail both).
    const detail = (await (await vigil.request('/v1/targets/t010')).json()) as {
      uptime: Record<string, { probes: number; down: number }>;
    };
    expect(detail.uptime['24h']).toMatchObject({ probes: 2, down: 2 });
  }, 120_000);
});
