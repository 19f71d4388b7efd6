import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Issue #15 item 2 (ingestion): `npm start` on a data directory is SIGKILLed while clients are sending
 * batches; restarted on the same directory, it has everything it acknowledged before the kill, nothing
 * twice, and nothing it was never sent.
 */
const ADMIN = 'e2e-crash-admin-token-0123456789abcdef';
const DATA = mkdtempSync(join(tmpdir(), 'vigil-crash-'));
const running: ChildProcess[] = [];

async function start(): Promise<{ proc: ChildProcess; url: string }> {
  let output = '';
  const proc = spawn('npm', ['start'], {
    env: {
      ...process.env,
      VIGIL_PORT: '0',
      VIGIL_ADMIN_TOKEN: ADMIN,
      VIGIL_DATA_DIR: DATA,
      VIGIL_PROBE_INTERVAL: '3600',
      VIGIL_EVAL_INTERVAL: '3600',
      VIGIL_CONFIG: join(tmpdir(), 'vigil-crash-no-config.json'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.push(proc);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed:\n${output}`)), 90_000);
    proc.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const m = output.match(/Dashboard:\s+(http:\/\/\S+?)\/\s/);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    proc.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
  return { proc, url };
}

const kill = (proc: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null || !proc.pid) return resolve();
    proc.once('exit', () => resolve());
    try {
      process.kill(-proc.pid, 'SIGKILL');
    } catch {
      resolve(); // already gone
    }
  });

afterAll(async () => {
  for (const p of running) await kill(p);
});

interface Sent {
  readonly message: string;
  readonly points: number;
  acknowledged: boolean;
}

describe('SIGKILL during ingestion', () => {
  it('keeps everything acknowledged before the kill, once', { timeout: 240_000 }, async () => {
    const first = await start();
    const auth = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
    const sent: Sent[] = [];
    let stop = false;
    const client = async (c: number) => {
      for (let n = 0; !stop; n++) {
        const batch: Sent = { message: `client ${c} batch ${n}`, points: 20, acknowledged: false };
        sent.push(batch);
        const body = JSON.stringify({
          service: 'crash',
          metrics: Array.from({ length: batch.points }, (_, k) => ({
            name: 'crash.points',
            type: 'counter',
            value: 1,
            tags: { k: String(k % 4) },
          })),
          logs: [{ level: 'info', message: batch.message }],
        });
        try {
          const res = await fetch(`${first.url}/v1/ingest`, {
            method: 'POST',
            headers: { ...auth, 'idempotency-key': randomUUID() },
            body,
          });
          batch.acknowledged = res.status === 202;
          await res.arrayBuffer();
        } catch {
          return; // the server is gone
        }
      }
    };
    const clients = Array.from({ length: 6 }, (_, c) => client(c));
    // Kill once a good number of batches is acknowledged, with others in flight.
    while (sent.filter((b) => b.acknowledged).length < 30) await new Promise((r) => setTimeout(r, 50));
    await kill(first.proc);
    stop = true;
    await Promise.all(clients);
    const acknowledged = sent.filter((b) => b.acknowledged);
    expect(sent.length).toBeGreaterThan(acknowledged.length); // some were in flight at the kill

    const second = await start();
    const get = async (path: string) => {
      const res = await fetch(`${second.url}${path}`, { headers: auth });
      expect(res.status).toBe(200);
      return res.json() as Promise<Record<string, unknown>>;
    };
    const metric = (await get('/v1/metrics/query?service=crash&name=crash.points&stat=sum&step=1h&from=-3h')) as {
      series: { points: [number, number][] }[];
    };
    const stored = metric.series.flatMap((s) => s.points).reduce((a, [, v]) => a + v, 0);
    const messages: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await get(
        `/v1/logs?service=crash&from=-3h&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      )) as { items: { message: string }[]; nextCursor: string | null };
      messages.push(...page.items.map((l) => l.message));
      cursor = page.nextCursor;
    } while (cursor);

    const ackPoints = acknowledged.reduce((a, b) => a + b.points, 0);
    const sentPoints = sent.reduce((a, b) => a + b.points, 0);
    // Everything acknowledged is there; at most what was sent (an in-flight batch may have been stored).
    expect(stored).toBeGreaterThanOrEqual(ackPoints);
    expect(stored).toBeLessThanOrEqual(sentPoints);
    for (const b of acknowledged) expect(messages).toContain(b.message);
    expect(new Set(messages).size).toBe(messages.length);
    expect(messages.every((m) => sent.some((b) => b.message === m))).toBe(true);
  });
});
