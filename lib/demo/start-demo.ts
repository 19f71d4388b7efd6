import type { Server } from 'node:http';
import { startHealthServer } from './flapping-server.js';
import { batchFor, DEMO_SERVICES } from './simulated-traffic.js';

/**
 * `npm run demo` / `npm start -- --demo`: a living dashboard within a minute. Everything goes through the public
 * API with tokens minted by the admin token, as a real user's services would: an hour of history back-filled,
 * then fresh traffic every few seconds; health targets (one flapping); a rule and a failed verification where
 * those APIs exist (a printed note where they answer 404).
 */
export const DEMO_SETTINGS = { VIGIL_PROBE_INTERVAL: '5', VIGIL_EVAL_INTERVAL: '10' } as const;

export interface DemoOptions {
  readonly url: string;
  readonly adminToken: string;
  /** @default 60 */
  readonly backfillMinutes?: number;
  /** @default 5000 */
  readonly everyMs?: number;
  readonly print?: (line: string) => void;
  readonly now?: () => number;
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function startDemo(options: DemoOptions): Promise<{ stop: () => Promise<void>; token: string }> {
  const print = options.print ?? ((l: string) => process.stdout.write(`${l}\n`));
  const now = options.now ?? Date.now;
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(`${options.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const minted = await call('POST', '/v1/tokens', options.adminToken, {
    name: 'demo',
    scopes: ['ingest', 'read', 'write', 'verify'],
  });
  if (minted.status !== 201) throw new Error(`demo: could not mint a token (${minted.status})`);
  const token = String(minted.json.token);
  const random = mulberry32(42);

  const health = await startHealthServer({ flapMs: 20_000, now });
  const targets = [
    { id: 'checkout-health', service: 'checkout', url: `${health.url}/ok/checkout` },
    { id: 'payments-health', service: 'payments', url: `${health.url}/flap`, failureThreshold: 1, successThreshold: 1 },
    { id: 'inventory-health', service: 'inventory', url: `${health.url}/ok/inventory` },
    { id: 'search-health', service: 'search', url: `${health.url}/ok/search` },
  ];
  for (const { id, ...t } of targets)
    await call('PUT', `/v1/targets/${id}`, token, { ...t, intervalSeconds: 5, timeoutMs: 2000 });

  const send = async (at: number, seconds: number) => {
    for (const svc of DEMO_SERVICES) {
      const r = await call('POST', '/v1/ingest', token, batchFor(svc, at, seconds, random));
      if (r.status !== 202) print(`demo: ingest for ${svc.name} answered ${r.status}: ${JSON.stringify(r.json)}`);
    }
  };
  const minutes = options.backfillMinutes ?? 60;
  const start = now();
  for (let m = minutes; m > 0; m--) await send(start - m * 60_000, 60);

  const rule = await call('PUT', '/v1/rules/payments-errors', token, {
    type: 'error_rate',
    severity: 'critical',
    service: 'payments',
    op: '>',
    value: 0.02,
    window: '5m',
    for: '0m',
    annotations: { summary: 'payments error rate above 2%' },
  });
  print(
    rule.status === 404
      ? 'demo: no rules API in this deployment (issue #12); skipped the alert rule'
      : `demo: rule payments-errors → ${rule.status}`,
  );
  const verification = await call('POST', '/v1/verifications', token, {
    service: 'payments',
    environment: 'production',
    version: '2.0.1',
    deployUrl: `${health.url}/flap`,
    checks: { performance: { metric: 'http.server.duration', maxP95Ms: 300, maxErrorRate: 0.01, windowSeconds: 300 } },
  });
  print(
    verification.status === 404
      ? 'demo: no verifications API in this deployment (issue #13); skipped the verification'
      : `demo: verification of payments 2.0.1 → ${verification.status}`,
  );

  const everyMs = options.everyMs ?? 5000;
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = running
      .then(() => send(now(), everyMs / 1000))
      .catch((e: unknown) => print(`demo: ${(e as Error).message}`));
  }, everyMs);
  print(
    `Demo: ${DEMO_SERVICES.length} simulated services (an hour back-filled), ${targets.length} health targets (payments-health flaps every 20 s)`,
  );
  return {
    token,
    stop: async () => {
      clearInterval(timer);
      await running;
      await new Promise<void>((resolve) => (health.server as Server).close(() => resolve()));
    },
  };
}
