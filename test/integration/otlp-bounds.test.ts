import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPTH_MARKER } from '../../functions/core/telemetry/otlp-common.js';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';

/** Hostile and out-of-range OTLP input through local mode's real gateway, handler and dynalite. */
let vigil: TestVigil;
let ingest: string;
let read: string;

beforeAll(async () => {
  vigil = await startTestVigil();
  [ingest, read] = await Promise.all([vigil.mintToken(['ingest']), vigil.mintToken(['read'])]);
});
afterAll(() => vigil?.close());

/** The reproducer, byte for byte: `d` nested arrayValues around "x" as a log body. */
const reproducer = (d: number, service: string) => {
  const n = `${'{"arrayValue":{"values":['.repeat(d)}{"stringValue":"x"}${']}}'.repeat(d)}`;
  return `{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"${service}"}}]},"scopeLogs":[{"logRecords":[{"body":${n}}]}]}]}`;
};

async function postRaw(path: string, body: string) {
  return vigil.request(path, {
    method: 'POST',
    token: ingest,
    headers: { 'content-type': 'application/json' },
    body,
  });
}

describe('nested OTLP AnyValues (issue #9 item 2)', () => {
  it.each([
    [28, 'deep-28'],
    [10_000, 'deep-10000'],
  ])('depth %i: 200, stored with the levels past 16 marked', async (depth, service) => {
    const res = await postRaw('/v1/logs', reproducer(depth, service));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    const logs = await vigil.request(`/v1/logs?service=${service}`, { token: read });
    const { items } = (await logs.json()) as { items: { message: string }[] };
    expect(items).toHaveLength(1);
    expect(items[0]!.message).toBe(`${'['.repeat(16)}${JSON.stringify(DEPTH_MARKER)}${']'.repeat(16)}`);
  });
});
