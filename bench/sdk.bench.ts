/**
 * `npx tsx bench/sdk.bench.ts` (also part of `npm run bench`): the Vigil SDK's hot path beside its peers
 * in one run — prom-client for counters and histograms, OpenTelemetry's BasicTracerProvider with a
 * BatchSpanProcessor for spans — and Express throughput with and without `setupMonitoring`.
 *
 * Micro benchmarks: warm-up, then 7 timed rounds of a tight loop (process.hrtime.bigint), median ns/op.
 * Neither side drops anything: queues are large enough and both are flushed between rounds (untimed).
 * Throughput: the app runs in a child process, the telemetry sink in another, autocannon in this one,
 * all on 127.0.0.1; 1 s warm-up then 5 s measured per variant, two rounds each, best round kept.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const mode = process.argv[2];

// ---------------------------------------------------------------- child processes

async function runSink(): Promise<void> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":{}}'));
  });
  server.listen(0, '127.0.0.1', () => process.send?.((server.address() as AddressInfo).port));
}

/** `bare`; `typical`: the example settings (sampleRate 0.1, access log to stdout); `full`: every request traced and every log line also shipped. */
async function runApp(variant: string, sink: string): Promise<void> {
  const { default: express } = await import('express');
  const app = express();
  if (variant !== 'bare') {
    const sdk = await import('../sdk/src/index.js');
    const full = variant === 'full';
    sdk.configureLogging({
      level: 'info',
      console: true,
      ship: full,
      serviceName: 'bench',
      endpoint: sink,
      token: 'bench',
    });
    sdk.configureMetrics({ backend: 'vigil' });
    sdk.configureTracing({ exporter: 'vigil', sampleRate: full ? 1 : 0.1 });
    sdk.setupMonitoring(app, { serviceName: 'bench' });
  }
  app.get('/cart/:id', (req, res) => {
    res.json({ id: req.params.id, items: 3 });
  });
  const server = app.listen(0, '127.0.0.1', () => process.send?.((server.address() as AddressInfo).port));
}

function spawnChild(args: string[]): Promise<{ child: ChildProcess; port: number }> {
  // The app's stdout (its access log) goes to /dev/null, as to a log agent; the port comes over IPC.
  const child = spawn(process.execPath, ['--import', 'tsx', self, ...args], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  return new Promise((resolve, reject) => {
    child.once('message', (port) => resolve({ child, port: Number(port) }));
    child.once('exit', (code) => reject(new Error(`child ${args.join(' ')} exited with ${code}`)));
  });
}

// ---------------------------------------------------------------- micro benchmarks

const ROUNDS = 7;

async function measure(ops: number, body: (n: number) => void, between: () => Promise<void> | void): Promise<number> {
  body(Math.min(ops, 200_000)); // warm-up: let the JIT settle
  await between();
  const samples: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    body(ops);
    const elapsed = Number(process.hrtime.bigint() - start);
    samples.push(elapsed / ops);
    await between();
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

interface Row {
  readonly what: string;
  readonly vigil: number;
  readonly peer: number;
  readonly peerName: string;
}

async function micro(sinkUrl: string): Promise<Row[]> {
  const sdk = await import('../sdk/src/index.js');
  const prom = await import('prom-client');
  const { BasicTracerProvider, BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-base');

  sdk.configureLogging({ console: false, ship: false });
  sdk.configureMetrics({
    backend: 'vigil',
    endpoint: sinkUrl,
    token: 'bench',
    flushIntervalMs: 3_600_000,
    maxQueueSize: 2_000_000,
    maxBatchSize: 5000,
  });
  sdk.configureTracing({ exporter: 'vigil', sampleRate: 1 });

  const rows: Row[] = [];
  const noop = (): void => undefined;

  // Counter with bound tags
  const vc = sdk.counter('bench.requests').labels({ route: '/cart', method: 'GET' });
  const pc = new prom.Counter({ name: 'bench_requests_total', help: 'h', labelNames: ['route', 'method'] }).labels({
    route: '/cart',
    method: 'GET',
  });
  const cOps = 5_000_000;
  rows.push({
    what: 'counter inc, bound tags',
    vigil: await measure(
      cOps,
      (n) => {
        for (let i = 0; i < n; i++) vc.inc();
      },
      () => sdk.flushMetrics(),
    ),
    peer: await measure(
      cOps,
      (n) => {
        for (let i = 0; i < n; i++) pc.inc();
      },
      noop,
    ),
    peerName: 'prom-client 15.1.3',
  });

  // Histogram with bound tags
  const vh = sdk.histogram('bench.duration', { unit: 'ms' }).labels({ route: '/cart', method: 'GET' });
  const ph = new prom.Histogram({
    name: 'bench_duration_ms',
    help: 'h',
    labelNames: ['route', 'method'],
    buckets: [...sdk.DEFAULT_MS_BUCKETS],
  }).labels({ route: '/cart', method: 'GET' });
  const hOps = 2_000_000;
  // Vigil sends raw values per flush (capped at 1000/series); flushing every 1000 observations keeps the loop representative.
  rows.push({
    what: 'histogram observe, bound tags',
    vigil: await measure(
      hOps,
      (n) => {
        for (let i = 0; i < n; i++) vh.observe((i & 1023) * 0.37);
      },
      () => sdk.flushMetrics(),
    ),
    peer: await measure(
      hOps,
      (n) => {
        for (let i = 0; i < n; i++) ph.observe((i & 1023) * 0.37);
      },
      noop,
    ),
    peerName: 'prom-client 15.1.3',
  });

  // Span start + end
  const provider = new BasicTracerProvider({
    spanProcessors: [
      new BatchSpanProcessor(
        { export: (_spans, done) => done({ code: 0 }), shutdown: () => Promise.resolve() },
        { maxQueueSize: 2_000_000, maxExportBatchSize: 512, scheduledDelayMillis: 5000 },
      ),
    ],
  });
  const otelTracer = provider.getTracer('bench');
  const sOps = 200_000;
  rows.push({
    what: 'span start + end (sampled, batched export)',
    vigil: await measure(
      sOps,
      (n) => {
        for (let i = 0; i < n; i++) sdk.startSpan('GET /cart').end();
      },
      () => sdk.flush(30_000),
    ),
    peer: await measure(
      sOps,
      (n) => {
        for (let i = 0; i < n; i++) otelTracer.startSpan('GET /cart').end();
      },
      () => provider.forceFlush(),
    ),
    peerName: '@opentelemetry/sdk-trace-base 2.12.1 (BatchSpanProcessor)',
  });
  return rows;
}

// ---------------------------------------------------------------- throughput

async function throughput(sinkUrl: string): Promise<{ bare: number; typical: number; full: number }> {
  type Autocannon = (o: {
    url: string;
    connections: number;
    duration: number;
  }) => Promise<{ requests: { average: number }; non2xx: number; errors: number }>;
  // autocannon ships no types; a non-literal specifier keeps the type-checker out of it.
  const { default: autocannon } = (await import('autocannon' as string)) as { default: Autocannon };
  const run = async (variant: string): Promise<number> => {
    const { child, port } = await spawnChild(['--serve', variant, sinkUrl]);
    const url = `http://127.0.0.1:${port}/cart/42`;
    try {
      await autocannon({ url, connections: 32, duration: 1 });
      const result = await autocannon({ url, connections: 32, duration: 5 });
      if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx, ${result.errors} errors`);
      return result.requests.average;
    } finally {
      child.kill('SIGKILL');
    }
  };
  const bare: number[] = [];
  const typical: number[] = [];
  const full: number[] = [];
  for (let round = 0; round < 2; round++) {
    bare.push(await run('bare'));
    typical.push(await run('typical'));
    full.push(await run('full'));
  }
  return { bare: Math.max(...bare), typical: Math.max(...typical), full: Math.max(...full) };
}

// ---------------------------------------------------------------- report

async function main(): Promise<void> {
  const sink = await spawnChild(['--sink']);
  const sinkUrl = `http://127.0.0.1:${sink.port}`;
  try {
    const rows = await micro(sinkUrl);
    const tp = await throughput(sinkUrl);
    const f = (n: number): string => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
    const out: string[] = [];
    out.push(`Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; median of ${ROUNDS} rounds.`, '');
    out.push('| Operation | Vigil SDK (ns/op) | Peer (ns/op) | Vigil / peer | Goal ≤ 0.5 | Peer |');
    out.push('|---|---:|---:|---:|:---:|---|');
    for (const r of rows) {
      const ratio = r.vigil / r.peer;
      out.push(
        `| ${r.what} | ${f(r.vigil)} | ${f(r.peer)} | ${ratio.toFixed(2)} | ${ratio <= 0.5 ? 'met' : 'missed'} | ${r.peerName} |`,
      );
    }
    out.push('');
    out.push('| Express `GET /cart/:id` (autocannon, 32 connections, 5 s, best of 2) | req/s | / bare (goal ≥ 0.90) |');
    out.push('|---|---:|---:|');
    const pct = (n: number): string => `${(n / tp.bare).toFixed(2)} ${n / tp.bare >= 0.9 ? '(met)' : '(missed)'}`;
    out.push(`| bare | ${tp.bare.toFixed(0)} | 1.00 |`);
    out.push(
      `| \`setupMonitoring\`, typical: metrics to Vigil, access log to stdout, sampleRate 0.1 | ${tp.typical.toFixed(0)} | ${pct(tp.typical)} |`,
    );
    out.push(
      `| \`setupMonitoring\`, full: every request traced, every log line also shipped | ${tp.full.toFixed(0)} | ${pct(tp.full)} |`,
    );
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    sink.child.kill('SIGKILL');
  }
  process.exit(0);
}

if (mode === '--sink') await runSink();
else if (mode === '--serve') await runApp(process.argv[3] ?? 'bare', process.argv[4] ?? '');
else await main();
