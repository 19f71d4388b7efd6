/**
 * `npm run bench -- sdk-outage` (also part of `npm run bench`): the SDK while Vigil is down or slow (issue #15
 * item 3). An Express app with every signal on (metrics, shipped logs, every trace) serves steady load from
 * autocannon; its telemetry sink is healthy for a while, then refuses every connection (`down`) or accepts and
 * never answers (`slow`) for `BENCH_OUTAGE_SECONDS` (default 60), then is healthy again. The app's RSS and heap
 * are sampled every 5 s; the table gives them before, at the end of the outage and after, with the requests
 * served per second and the items the SDK dropped (counted, by reason).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUTAGE_S = Number(process.env.BENCH_OUTAGE_SECONDS ?? 60);
const BEFORE_S = 15;
const AFTER_S = 20;
const SAMPLE_MS = 5_000;
const CONNECTIONS = 16;

type SinkMode = 'ok' | 'down' | 'slow';
interface Memory {
  rss: number;
  heapUsed: number;
  served: number;
  dropped: Record<string, number>;
}

function buildSdk(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const built = spawnSync(process.execPath, [tsc, '-p', join(root, 'sdk', 'tsconfig.build.json')], {
    stdio: 'inherit',
  });
  if (built.status !== 0) throw new Error('building the SDK failed');
}

async function startSink() {
  let mode: SinkMode = 'ok';
  const hung: ServerResponse[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    if (mode === 'slow') {
      hung.push(res);
      return;
    }
    req.on('end', () => res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":{}}'));
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    if (mode === 'down') {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    set(next: SinkMode) {
      mode = next;
      // Down means down: the SDK's pooled keep-alive connections go too, not only new ones.
      if (next === 'down') for (const socket of sockets) socket.destroy();
      if (next === 'ok') for (const res of hung.splice(0)) res.destroy();
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function spawnApp(sink: string): Promise<{ child: ChildProcess; port: number }> {
  const fixture = fileURLToPath(new URL('./fixtures/outage-app.mjs', import.meta.url));
  const child = spawn(process.execPath, [fixture, sink], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  return new Promise((resolve, reject) => {
    child.once('message', (port) => resolve({ child, port: Number(port) }));
    child.once('exit', (code) => reject(new Error(`outage app exited with ${code}`)));
  });
}

const memory = (child: ChildProcess) =>
  new Promise<Memory>((resolve) => {
    child.once('message', (m) => resolve(m as Memory));
    child.send('mem');
  });

type Autocannon = (o: { url: string; connections: number; duration: number }) => Promise<{
  requests: { total: number };
  latency: { p99: number };
  non2xx: number;
  errors: number;
}>;

interface Phase {
  readonly name: string;
  readonly seconds: number;
  readonly rps: number;
  readonly p99: number;
  readonly end: Memory;
  readonly peakRss: number;
  readonly peakHeap: number;
}

async function run(kind: 'down' | 'slow'): Promise<Phase[]> {
  const { default: autocannon } = (await import('autocannon' as string)) as { default: Autocannon };
  const sink = await startSink();
  const { child, port } = await spawnApp(sink.url);
  const url = `http://127.0.0.1:${port}/cart/42`;
  const phases: Phase[] = [];
  try {
    await autocannon({ url, connections: CONNECTIONS, duration: 3 }); // warm-up
    for (const [name, seconds, mode] of [
      ['before', BEFORE_S, 'ok'],
      [`${kind} ${OUTAGE_S} s`, OUTAGE_S, kind],
      ['after', AFTER_S, 'ok'],
    ] as const) {
      sink.set(mode);
      let peakRss = 0;
      let peakHeap = 0;
      const sampler = setInterval(() => {
        void memory(child).then((m) => {
          peakRss = Math.max(peakRss, m.rss);
          peakHeap = Math.max(peakHeap, m.heapUsed);
        });
      }, SAMPLE_MS);
      const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds });
      clearInterval(sampler);
      if (result.non2xx > 0 || result.errors > 0)
        throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      const end = await memory(child);
      phases.push({
        name,
        seconds,
        rps: result.requests.total / seconds,
        p99: result.latency.p99,
        end,
        peakRss: Math.max(peakRss, end.rss),
        peakHeap: Math.max(peakHeap, end.heapUsed),
      });
    }
  } finally {
    child.kill('SIGINT');
    await sink.close();
  }
  return phases;
}

const mib = (b: number) => (b / 1_048_576).toFixed(0);
const drops = (d: Record<string, number>) =>
  Object.entries(d)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || '0';

buildSdk();
const lines = [
  `SDK under a Vigil outage: Express app, every signal on, autocannon ${CONNECTIONS} connections; outage ${OUTAGE_S} s`,
  '',
  '| sink | phase | req/s | p99 ms | RSS MiB (end / peak) | heap MiB (end / peak) | dropped so far (kind:reason items) |',
  '|---|---|---:|---:|---:|---:|---|',
];
for (const kind of ['down', 'slow'] as const) {
  for (const p of await run(kind)) {
    lines.push(
      `| ${kind} | ${p.name} | ${p.rps.toFixed(0)} | ${p.p99} | ${mib(p.end.rss)} / ${mib(p.peakRss)} | ${mib(p.end.heapUsed)} / ${mib(p.peakHeap)} | ${drops(p.end.dropped)} |`,
    );
  }
}
process.stdout.write(`${lines.join('\n')}\n`);
