import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';

let vigil: TestVigil;
const base = Date.now() - 10 * 60_000;

beforeAll(async () => {
  vigil = await startTestVigil();
  const logs = Array.from({ length: 25 }, (_, i) => ({
    timestamp: base + i * 1_000,
    level: i % 5 === 0 ? 'error' : 'info',
    message: `line ${i}`,
  }));
  const stack = (line: number) =>
    `TypeError: x is undefined\n    at total (/app/src/cart.ts:${line}:3)\n    at handle (/app/src/api.ts:9:1)`;
  const errors = [
    { type: 'TypeError', message: 'x is undefined (order 1)', stack: stack(10), timestamp: base },
    { type: 'TypeError', message: 'x is undefined (order 2)', stack: stack(12), timestamp: base + 5_000 },
    { type: 'RangeError', message: 'bad length', timestamp: base + 1_000 },
  ];
  const first = await vigil.request('/v1/ingest', {
    method: 'POST',
    json: { service: 'web', version: '1.0', logs, errors },
  });
  expect(first.status).toBe(202);
  const second = await vigil.request('/v1/ingest', {
    method: 'POST',
    json: { service: 'web', version: '1.1', errors: errors.slice(0, 1) },
  });
  expect(second.status).toBe(202);
});
afterAll(() => vigil?.close());

describe('logs and error groups', () => {
  it('pages through logs newest first with a cursor, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await vigil.request(
        `/v1/logs?service=web&from=-1h&limit=10${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      const page = (await res.json()) as { items: { message: string }[]; nextCursor: string | null };
      seen.push(...page.items.map((l) => l.message));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `line ${24 - i}`));
    const errors = (await (await vigil.request('/v1/logs?service=web&level=error')).json()) as { items: unknown[] };
    expect(errors.items).toHaveLength(5);
    expect((await vigil.request('/v1/logs?service=web&cursor=garbage')).status).toBe(400);
    expect((await vigil.request('/v1/logs')).status).toBe(400);
  });

  it('groups error events by fingerprint across batches, with counts and versions', async () => {
    const res = await vigil.request('/v1/errors?service=web&from=-1h');
    const body = (await res.json()) as {
      items: { type: string; count: number; versions: string[]; firstSeen: number }[];
    };
    const byType = Object.fromEntries(body.items.map((g) => [g.type, g]));
    expect(body.items).toHaveLength(2);
    expect(byType.TypeError).toMatchObject({ count: 3, versions: ['1.0', '1.1'], firstSeen: base });
    expect(byType.RangeError).toMatchObject({ count: 1, versions: ['1.0'] });
  });

  it('validates query parameters with paths', async () => {
    const res = await vigil.request('/v1/metrics/query?service=web&name=x&stat=median&from=yesterday');
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((e) => e.path)).toContain('query.from');
    expect((await vigil.request('/v1/traces/not-hex')).status).toBe(400);
    expect((await vigil.request(`/v1/traces/${'0'.repeat(32)}`)).status).toBe(404);
  });
});
