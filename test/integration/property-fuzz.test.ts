import { mkdirSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type Route } from '../../functions/catalog/routes.js';
import type { GatewayAnswer } from '../../lib/local/gateway.js';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';

/**
 * Issue #15 item 4: generated malformed bodies, headers, query strings, path ids and compressed bodies
 * (decompression bombs included) at every route of the route table, through local mode's gateway in
 * process (the same translation and functions as over HTTP, without sockets). Whatever is sent: never a
 * 5xx, never a hang, and every refusal is problem+json whose status matches and whose messages are
 * written for people. Cases run per route family are printed and written to test-artifacts/.
 */
const TOTAL_RUNS = Number(process.env.VIGIL_PROPERTY_RUNS ?? 10_200);
/** Routes with a body get twice the cases of the others (they answer from validation, without storage). */
const hasBody = (r: Route) => r.method === 'POST' || r.method === 'PUT' || r.method === 'PATCH';
const BASE_RUNS = Math.ceil(TOTAL_RUNS / ROUTES.reduce((n, r) => n + (hasBody(r) ? 2 : 1), 0));
const runsOf = (r: Route) => (hasBody(r) ? 2 : 1) * BASE_RUNS;
const HANG_GUARD_MS = 15_000;

let vigil: TestVigil;
const counts: Record<string, number> = {};
let bombs: Buffer[];

const familyOf = (route: Route) =>
  route.fn === 'dashboard' || route.fn === 'health' ? 'dashboard and health' : route.fn;

beforeAll(async () => {
  vigil = await startTestVigil({ VIGIL_MAX_BODY_BYTES: '65536', VIGIL_INGEST_MAX_BODY_BYTES: '1048576' });
  const zeros = Buffer.alloc(64 * 1024 * 1024);
  bombs = [gzipSync(zeros, { level: 9 }), deflateSync(zeros, { level: 9 }), brotliCompressSync(zeros)];
}, 120_000);

afterAll(async () => {
  await vigil?.close();
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  mkdirSync('test-artifacts', { recursive: true });
  writeFileSync('test-artifacts/property-counts.json', `${JSON.stringify({ total, perFamily: counts }, null, 2)}\n`);
  console.info(`property cases: ${total} ${JSON.stringify(counts)}`);
});

// --- generators -------------------------------------------------------------------------------------------

const FIELD_NAMES = [
  'service',
  'name',
  'url',
  'scopes',
  'expiresInDays',
  'method',
  'headers',
  'expect',
  'intervalSeconds',
  'timeoutMs',
  'metrics',
  'logs',
  'spans',
  'errors',
  'value',
  'type',
  'tags',
  'timestamp',
  'resourceLogs',
  'resourceSpans',
  'resourceMetrics',
  'resource',
  'attributes',
  'scopeLogs',
  'logRecords',
  'body',
  'status',
  'dependsOn',
  'environment',
  'version',
  'message',
  'level',
  'traceId',
  'spanId',
  'json',
  'path',
  'equals',
];
const QUERY_NAMES = [
  'from',
  'to',
  'limit',
  'cursor',
  'service',
  'name',
  'stat',
  'step',
  'tags',
  'groupBy',
  'level',
  'q',
  'traceId',
  'minDurationMs',
  'topic',
  'environment',
];

const oddText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '0', '-1', '1e309', 'NaN', 'now', '-1h', '9e15', '9000000000000000', 'null', '[]', '{}'),
  fc.constantFrom('constructor', '__proto__', 'toString', '%00', '../..', 'x'.repeat(5_000)),
  fc.integer().map(String),
  fc.double().map(String),
);

const anyJsonValue = fc.oneof(fc.jsonValue({ maxDepth: 4 }), oddText, fc.anything({ maxDepth: 3 }));

const shaped = fc.dictionary(fc.constantFrom(...FIELD_NAMES), anyJsonValue, { maxKeys: 6 });
const deep = fc
  .tuple(fc.integer({ min: 50, max: 3_000 }), fc.constantFrom('[', '{"a":', '{"arrayValue":{"values":['))
  .map(([depth, open]) => {
    const close = open === '[' ? ']' : open === '{"a":' ? '}' : ']}}';
    return `${open.repeat(depth)}1${close.repeat(depth)}`;
  });
const otlpish = fc
  .record({
    resource: fc.record({ attributes: fc.array(fc.record({ key: oddText, value: anyJsonValue }), { maxLength: 3 }) }),
    scopeLogs: fc.array(
      fc.record({ logRecords: fc.array(fc.dictionary(fc.string(), anyJsonValue), { maxLength: 3 }) }),
    ),
  })
  .map((r) => ({ resourceLogs: [r], resourceSpans: [r], resourceMetrics: [r] }));

const textBody = fc.oneof(
  { weight: 3, arbitrary: shaped.map((o) => JSON.stringify(o)) },
  { weight: 2, arbitrary: fc.jsonValue().map((j) => JSON.stringify(j)) },
  { weight: 1, arbitrary: otlpish.map((o) => JSON.stringify(o)) },
  { weight: 1, arbitrary: deep },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: shaped.map((o) => JSON.stringify(o).slice(0, -1)) },
);

type Encoding = 'none' | 'gzip' | 'deflate' | 'br' | 'bogus' | 'bomb' | 'lie';
const encoding = fc.constantFrom<Encoding>('none', 'none', 'none', 'gzip', 'deflate', 'br', 'bogus', 'bomb', 'lie');

const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      undefined,
      '',
      'text/plain',
      'application/json; charset=utf-16',
      'application/x-protobuf',
      'application/problem+json',
      'multipart/form-data; boundary=x',
      'application/JSON',
      ';;;',
    ),
  },
);

const authorization = (admin: string) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constant(`Bearer ${admin}`) },
    { weight: 1, arbitrary: fc.constantFrom('', 'Bearer', 'Basic x', `bearer  ${admin}`, `Bearer ${admin}x`) },
    { weight: 1, arbitrary: oddText.map((t) => `Bearer ${t}`) },
  );

/** A path parameter: usually percent-encoded odd text, sometimes raw characters a client may send. */
const pathParam = fc.oneof(
  { weight: 4, arbitrary: oddText.map((t) => encodeURIComponent(t)) },
  { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%C0%AF', '..', '.', ';x', '~', "'", '%2F', '%00', 'a%2Fb') },
  { weight: 1, arbitrary: fc.constantFrom('a/b', 'x'.repeat(3_000), 'AbC123_-', '0'.repeat(32)) },
);

const queryString = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_NAMES), fc.string({ maxLength: 8 })), oddText), { maxLength: 5 })
  .map((pairs) => pairs.map(([k, val]) => `${encodeURIComponent(k)}=${encodeURIComponent(val)}`).join('&'));

interface Case {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

function caseFor(route: Route, admin: string): fc.Arbitrary<Case> {
  const params = (route.path.match(/\{\w+\+?\}/g) ?? []).map(() => pathParam);
  return fc
    .record({
      params: fc.tuple(...params),
      query: queryString,
      body: textBody,
      encoding,
      contentType,
      authorization: authorization(admin),
      extra: fc.dictionary(
        fc.constantFrom('x-request-id', 'idempotency-key', 'host', 'origin', 'accept', 'content-length'),
        oddText.map((t) => t.replace(/[^\x20-\x7e]/g, '')),
        { maxKeys: 2 },
      ),
      withBody: fc.boolean(),
    })
    .map(({ params: ps, query, body, encoding: enc, contentType: ct, authorization: auth, extra, withBody }) => {
      let i = 0;
      const path = route.path.replace(/\{\w+\+?\}/g, () => ps[i++] ?? 'x') + (query ? `?${query}` : '');
      const headers: Record<string, string> = { ...extra, authorization: auth };
      if (ct !== undefined) headers['content-type'] = ct;
      const sends = withBody || hasBody(route);
      let bytes: Buffer = sends ? Buffer.from(body, 'utf8') : Buffer.alloc(0);
      if (sends && enc !== 'none') {
        const bomb = bombs[Math.abs(body.length) % bombs.length]!;
        const [name, encoded] =
          enc === 'gzip'
            ? ['gzip', gzipSync(bytes)]
            : enc === 'deflate'
              ? ['deflate', deflateSync(bytes)]
              : enc === 'br'
                ? ['br', brotliCompressSync(bytes)]
                : enc === 'bogus'
                  ? ['zstd-ish', bytes]
                  : enc === 'lie'
                    ? ['gzip', bytes]
                    : [bomb === bombs[0] ? 'gzip' : bomb === bombs[1] ? 'deflate' : 'br', bomb];
        headers['content-encoding'] = name as string;
        bytes = encoded as Buffer;
      }
      return { path, headers, body: bytes };
    });
}

// --- the property ------------------------------------------------------------------------------------------

const LIBRARY_WORDING = /^Invalid (key|type|length|format|value)|Expected .* but received/;

async function answer(route: Route, c: Case): Promise<GatewayAnswer> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer to ${route.method} ${c.path}`)), HANG_GUARD_MS);
  });
  try {
    return await Promise.race([
      vigil.dispatch({ method: route.method, url: c.path, headers: c.headers, httpVersion: '1.1' }, c.body),
      hang,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function check(route: Route, c: Case, { result }: GatewayAnswer): void {
  const status = result.statusCode ?? 200;
  const where = `${route.method} ${c.path.slice(0, 120)} → ${status} ${String(result.body).slice(0, 300)}`;
  expect(status, where).toBeLessThan(500);
  if (status < 400) return;
  const headers = result.headers ?? {};
  expect(headers['content-type'], where).toBe('application/problem+json');
  expect(headers['x-request-id'], where).toBeTruthy();
  const problem = JSON.parse(String(result.body)) as {
    status: number;
    title: string;
    detail: string;
    errors?: { path: string; message: string }[];
  };
  expect(problem.status, where).toBe(status);
  expect(problem.detail.length, where).toBeGreaterThan(0);
  expect(problem.detail, where).not.toMatch(LIBRARY_WORDING);
  for (const e of problem.errors ?? []) {
    expect(typeof e.path, where).toBe('string');
    expect(e.message, where).not.toMatch(LIBRARY_WORDING);
  }
}

describe('bad input at every route', () => {
  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s: never a 5xx, always problem+json for people',
    async (_name, route) => {
      await fc.assert(
        fc.asyncProperty(caseFor(route, vigil.adminToken), async (c) => {
          counts[familyOf(route)] = (counts[familyOf(route)] ?? 0) + 1;
          check(route, c, await answer(route, c));
        }),
        { numRuns: runsOf(route), endOnFailure: true },
      );
    },
    120_000,
  );

  it('ran at least 10,000 cases in all', () => {
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(Math.min(10_000, TOTAL_RUNS));
  });
});
