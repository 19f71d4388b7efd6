/**
 * `npm run test:load`: many concurrent clients against local mode (in this process: dynalite in memory, the
 * gateway on 127.0.0.1, the real handlers) for a bounded time, then a conservation check. Clients: raw HTTP
 * native JSON with an Idempotency-Key (some resend a batch with the same key, as after a lost answer), raw
 * HTTP OTLP/HTTP JSON (some resend the same body, as exporters do), and the SDK. Every valid datapoint is a
 * counter increment of 1, so the stored sum per service is the number of datapoints kept; some batches carry
 * an invalid datapoint, which must be answered as rejected and never stored. Loopback only; no network.
 *
 * LOAD_SECONDS (default 20) and LOAD_CLIENTS (default 12) size the run. Exit code 1 unless lost 0, doubled 0.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { configureMetrics, counter, getDiagnostics, shutdown } from '../../sdk/src/index.js';
import { startTestVigil } from '../support/local-vigil.js';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 20);
const CLIENTS = Math.max(4, Number(process.env.LOAD_CLIENTS ?? 12));
const POINTS_PER_BATCH = 40;
const METRIC = 'load.points';

interface Tally {
  service: string;
  sent: number;
  acknowledged: number;
  invalidSent: number;
  invalidRejected: number;
}

const latencies: number[] = [];
let requests = 0;
let resends = 0;
let retriedAnswers = 0;

const vigil = await startTestVigil({ VIGIL_ADMIN_TOKEN: randomBytes(24).toString('hex') });
const token = await vigil.mintToken(['ingest', 'read'], 'load');
const started = performance.now();
const until = started + SECONDS * 1_000;

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  // Retried until answered 2xx or 4xx: 409 (the same key in progress), 429 and 5xx are worth another try.
  for (let attempt = 0; ; attempt++) {
    const t = performance.now();
    const res = await fetch(`${vigil.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body,
    });
    const text = await res.text();
    latencies.push(performance.now() - t);
    requests++;
    if (res.status < 300 || (res.status < 500 && res.status !== 409 && res.status !== 429) || attempt >= 20) {
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    }
    retriedAnswers++;
    const after = Math.min(2, Number(res.headers.get('retry-after') ?? 0.05));
    await new Promise((r) => setTimeout(r, after * 1_000));
  }
}

const routes = ['/cart', '/checkout', '/search', '/login', '/home'];

async function nativeClient(i: number, resendShare: number): Promise<Tally> {
  const tally: Tally = { service: `load-native-${i}`, sent: 0, acknowledged: 0, invalidSent: 0, invalidRejected: 0 };
  for (let n = 0; performance.now() < until; n++) {
    const invalid = n % 5 === 0;
    const metrics: Record<string, unknown>[] = Array.from({ length: POINTS_PER_BATCH }, (_, k) => ({
      name: METRIC,
      type: 'counter',
      value: 1,
      tags: { route: routes[k % routes.length]! },
    }));
    if (invalid) metrics.push({ name: METRIC, type: 'counter', value: 'one' });
    const body = JSON.stringify({ service: tally.service, environment: 'load', metrics });
    const headers = { 'idempotency-key': randomUUID() };
    tally.sent += POINTS_PER_BATCH;
    if (invalid) tally.invalidSent++;
    const answer = await post('/v1/ingest', body, headers);
    if (answer.status !== 202) throw new Error(`${tally.service}: ${answer.status} ${JSON.stringify(answer.body)}`);
    const accepted = (answer.body.accepted as { metrics: number }).metrics;
    tally.acknowledged += accepted;
    tally.invalidRejected += (answer.body.rejectedCounts as { metrics: number }).metrics;
    if (Math.random() < resendShare) {
      // The answer was "lost": the same batch again with the same key must change nothing.
      resends++;
      const again = await post('/v1/ingest', body, headers);
      if (again.status !== 202 || (again.body.accepted as { metrics: number }).metrics !== accepted) {
        throw new Error(`${tally.service}: a resend was answered ${again.status} ${JSON.stringify(again.body)}`);
      }
    }
  }
  return tally;
}

async function otlpClient(i: number, resendShare: number): Promise<Tally> {
  const tally: Tally = { service: `load-otlp-${i}`, sent: 0, acknowledged: 0, invalidSent: 0, invalidRejected: 0 };
  for (let n = 0; performance.now() < until; n++) {
    const end = BigInt(Date.now()) * 1_000_000n + BigInt(n);
    const dataPoints = Array.from({ length: POINTS_PER_BATCH }, (_, k) => ({
      asInt: '1',
      startTimeUnixNano: String(end - 1_000_000_000n),
      timeUnixNano: String(end),
      attributes: [{ key: 'route', value: { stringValue: routes[k % routes.length]! } }],
    }));
    const body = JSON.stringify({
      resourceMetrics: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: tally.service } }] },
          scopeMetrics: [
            { metrics: [{ name: METRIC, sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints } }] },
          ],
        },
      ],
    });
    tally.sent += POINTS_PER_BATCH;
    const answer = await post('/v1/metrics', body);
    if (answer.status !== 200) throw new Error(`${tally.service}: ${answer.status} ${JSON.stringify(answer.body)}`);
    const rejected = Number(
      (answer.body.partialSuccess as { rejectedDataPoints?: number } | undefined)?.rejectedDataPoints ?? 0,
    );
    tally.acknowledged += POINTS_PER_BATCH - rejected;
    if (Math.random() < resendShare) {
      // An exporter that did not see the answer resends the same bytes, without an Idempotency-Key.
      resends++;
      const again = await post('/v1/metrics', body);
      if (again.status !== 200) throw new Error(`${tally.service}: a resend was answered ${again.status}`);
    }
  }
  return tally;
}

async function sdkClient(): Promise<Tally> {
  const tally: Tally = { service: 'load-sdk', sent: 0, acknowledged: 0, invalidSent: 0, invalidRejected: 0 };
  configureMetrics({ serviceName: tally.service, endpoint: vigil.url, token, flushIntervalMs: 500 });
  const points = counter(METRIC);
  while (performance.now() < until) {
    for (let k = 0; k < 50; k++) points.inc(1, { route: routes[k % routes.length]! });
    tally.sent += 50;
    await new Promise((r) => setTimeout(r, 5));
  }
  await shutdown(10_000);
  const drops = Object.entries(getDiagnostics().dropped).filter(
    ([k]) => k.startsWith('metric:') || k.startsWith('batch:'),
  );
  // The SDK sums increments per series between flushes; with nothing dropped, every increment was acknowledged.
  tally.acknowledged = drops.length ? Number.NaN : tally.sent;
  if (drops.length) console.error(`sdk dropped: ${JSON.stringify(drops)}`);
  return tally;
}

async function storedSum(service: string): Promise<number> {
  const q = new URLSearchParams({ service, name: METRIC, stat: 'sum', step: '1h', from: '-3h', to: 'now' });
  const res = await fetch(`${vigil.url}/v1/metrics/query?${q}`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`query ${service}: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { series: { points: [number, number][] }[] };
  return body.series.flatMap((s) => s.points).reduce((a, [, v]) => a + v, 0);
}

const kinds: Promise<Tally>[] = [sdkClient()];
for (let i = 0; i < CLIENTS - 1; i++) {
  kinds.push(i % 2 === 0 ? nativeClient(i, i % 4 === 0 ? 0.3 : 0) : otlpClient(i, i % 4 === 1 ? 0.3 : 0));
}
let tallies: Tally[];
try {
  tallies = await Promise.all(kinds);
} catch (error) {
  await vigil.close();
  throw error;
}
const elapsed = (performance.now() - started) / 1_000;

let lost = 0;
let doubled = 0;
let stored = 0;
for (const t of tallies) {
  const s = await storedSum(t.service);
  stored += s;
  if (s < t.acknowledged || Number.isNaN(t.acknowledged))
    lost += Number.isNaN(t.acknowledged) ? t.sent : t.acknowledged - s;
  if (s > t.acknowledged) doubled += s - t.acknowledged;
}
await vigil.close();

const sent = tallies.reduce((a, t) => a + t.sent, 0);
// An SDK that dropped something cannot say how many increments it lost: its share counts as not acknowledged.
const acknowledged = tallies.reduce((a, t) => a + (Number.isNaN(t.acknowledged) ? 0 : t.acknowledged), 0);
const invalidSent = tallies.reduce((a, t) => a + t.invalidSent, 0);
const invalidRejected = tallies.reduce((a, t) => a + t.invalidRejected, 0);
const sorted = [...latencies].sort((a, b) => a - b);
const pct = (q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
const native = Math.ceil((CLIENTS - 1) / 2);
console.log(
  `load: ${CLIENTS} clients (${native} native JSON with Idempotency-Key, ${CLIENTS - 1 - native} OTLP/HTTP JSON, 1 SDK) for ${SECONDS} s against local mode on 127.0.0.1 (dynalite in memory)`,
);
console.log(
  `requests: ${requests} (${resends} resends of an answered batch, ${retriedAnswers} retried after 409/429/5xx); throughput ${Math.round(acknowledged / elapsed)} datapoints/s, ${Math.round(requests / elapsed)} requests/s; latency p50 ${pct(0.5).toFixed(1)} ms, p99 ${pct(0.99).toFixed(1)} ms`,
);
console.log(`rejected: sent ${invalidSent} invalid datapoints, answered rejected ${invalidRejected}, stored 0 of them`);
console.log(
  `conservation: sent ${sent}, acknowledged ${acknowledged}, stored ${stored}, lost ${lost}, doubled ${doubled}`,
);
process.exitCode = lost === 0 && doubled === 0 && invalidRejected === invalidSent && acknowledged === sent ? 0 : 1;
