/**
 * `npx tsx bench/probe.bench.ts` (also part of `npm run bench`): one prober run over N local HTTP targets
 * — 10% hang past their 2 s timeout, 10% answer 503, 5% take 500 ms, the rest are healthy — through local
 * mode (the real probe handler, dynalite), with the targets loaded from a config file. The run's duration
 * is set against the slowest single timeout (the floor: a run cannot end before its slowest probe gives
 * up), measured alone in the same run, and against the sum of all probe latencies (what probing one
 * after another would cost). The target service runs in a child process, as a remote service would.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpProber } from '../functions/adapters/http-prober.js';
import { startLocal } from '../lib/local/server.js';

const SLOWEST_TIMEOUT_MS = 2_000;
const SIZES = [100, 500, 1_000] as const;
const self = fileURLToPath(import.meta.url);

function kindOf(i: number): 'hang' | 'failing' | 'slow' | 'healthy' {
  if (i % 10 === 0) return 'hang';
  if (i % 10 === 1) return 'failing';
  if (i % 20 === 2) return 'slow';
  return 'healthy';
}

/** Child process: `/hang` never answers, `/failing` 503, `/slow` after 500 ms, anything else 200. */
function serveTargets(): void {
  const server = createServer((req, res) => {
    const kind = (req.url ?? '').split('/')[1];
    if (kind === 'hang') return;
    if (kind === 'failing') return void res.writeHead(503).end('down');
    const ok = () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"pass"}');
    if (kind === 'slow') setTimeout(ok, 500);
    else ok();
  });
  server.keepAliveTimeout = 1_000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
}

function spawnTargets(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', self, 'targets'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => {
    child.stdout!.once('data', (chunk: Buffer) =>
      resolve({ child, url: `http://127.0.0.1:${Number(chunk.toString().trim())}` }),
    );
  });
}

interface Row {
  n: number;
  cold: number;
  warm: number;
  sumLatency: number;
  down: number;
}

async function scenario(n: number, base: string): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
  const targets = Array.from({ length: n }, (_, i) => ({
    id: `t${i}`,
    service: `svc-${i % 7}`,
    url: `${base}/${kindOf(i)}/${i}`,
    intervalSeconds: 1,
    timeoutMs: kindOf(i) === 'hang' ? SLOWEST_TIMEOUT_MS : 1_500,
  }));
  writeFileSync(join(dir, 'vigil.config.json'), JSON.stringify({ targets }));
  const vigil = await startLocal({
    memory: true,
    print: () => undefined,
    env: {
      ...process.env,
      VIGIL_PORT: '0',
      VIGIL_DATA_DIR: dir,
      VIGIL_ADMIN_TOKEN: 'bench-admin-token',
      VIGIL_CONFIG: join(dir, 'vigil.config.json'),
      VIGIL_PROBE_INTERVAL: '3600',
      VIGIL_EVAL_INTERVAL: '3600',
      VIGIL_LOG_LEVEL: 'SILENT',
    },
  });
  try {
    const timed = async () => {
      const started = performance.now();
      await vigil.runSchedule('probe');
      return performance.now() - started;
    };
    const cold = await timed();
    await new Promise((r) => setTimeout(r, 1_000));
    const warm = await timed();
    const res = await fetch(`${vigil.url}/v1/targets`, { headers: { authorization: 'Bearer bench-admin-token' } });
    const { items } = (await res.json()) as { items: { state: { status: string; latencyMs: number } }[] };
    return {
      n,
      cold,
      warm,
      sumLatency: items.reduce((a, t) => a + (t.state.latencyMs ?? 0), 0),
      down: items.filter((t) => t.state.status === 'down').length,
    };
  } finally {
    await vigil.close();
  }
}

async function main(): Promise<void> {
  const { child, url } = await spawnTargets();
  try {
    // The floor, measured here: one probe of a hanging target, alone.
    const floorStart = performance.now();
    await new HttpProber({ policy: { allowPrivate: true } }).probe({
      url: `${url}/hang/x`,
      method: 'GET',
      headers: {},
      timeoutMs: SLOWEST_TIMEOUT_MS,
      insecure: false,
    });
    const floor = performance.now() - floorStart;
    const rows: Row[] = [];
    for (const n of SIZES) rows.push(await scenario(n, url));
    const ms = (x: number) => Math.round(x).toLocaleString('en-US');
    const out = [
      `Slowest single timeout ${SLOWEST_TIMEOUT_MS} ms; one hanging probe alone took ${ms(floor)} ms (floor).`,
      '',
      '| targets | down (hang + 503) | run, cold (ms) | run, warm (ms) | warm ÷ slowest timeout | sum of probe latencies (ms) | sum ÷ warm run |',
      '|---:|---:|---:|---:|---:|---:|---:|',
      ...rows.map(
        (r) =>
          `| ${r.n} | ${r.down} | ${ms(r.cold)} | ${ms(r.warm)} | ${(r.warm / SLOWEST_TIMEOUT_MS).toFixed(2)}× | ${ms(r.sumLatency)} | ${(r.sumLatency / r.warm).toFixed(0)}× |`,
      ),
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    child.kill();
  }
}

if (process.argv[2] === 'targets') serveTargets();
else await main();
