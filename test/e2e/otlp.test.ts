import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import otlp from '../../functions/adapters/otlp-proto/otlp.generated.cjs';

/**
 * Issue #9 item 2's reproducer (the 1 KB body nested 28 levels deep, and 10,000 levels) against `npm start` as
 * a real process, beside an OTLP/protobuf export: the server answers them at once and stays responsive.
 */
const ADMIN = 'e2e-otlp-admin-token-0123456789abcdef';
let proc: ChildProcess;
let url: string;
let output = '';

beforeAll(async () => {
  proc = spawn('npm', ['start', '--', '--memory'], {
    env: { ...process.env, VIGIL_PORT: '0', VIGIL_ADMIN_TOKEN: ADMIN },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed:\n${output}`)), 60_000);
    proc.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const m = output.match(/Dashboard:\s+(http:\/\/\S+?)\/\s/);
      if (m?.[1] && /Admin token: .+\n/.test(output)) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    proc.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
}, 90_000);

afterAll(() => {
  if (proc?.exitCode === null && proc.pid) process.kill(-proc.pid, 'SIGKILL');
});

async function mint(scopes: string[]): Promise<string> {
  const res = await fetch(`${url}/v1/tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'e2e', scopes }),
  });
  return ((await res.json()) as { token: string }).token;
}

const reproducer = (d: number, service: string) => {
  const n = `${'{"arrayValue":{"values":['.repeat(d)}{"stringValue":"x"}${']}}'.repeat(d)}`;
  return `{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"${service}"}}]},"scopeLogs":[{"logRecords":[{"body":${n}}]}]}]}`;
};

describe('OTLP against local mode', () => {
  it('answers the nested-AnyValue reproducers with 200 and stores the marked value', async () => {
    const [ingest, read] = await Promise.all([mint(['ingest']), mint(['read'])]);
    for (const [depth, service] of [
      [28, 'e2e-deep-28'],
      [10_000, 'e2e-deep-10000'],
    ] as const) {
      const res = await fetch(`${url}/v1/logs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ingest}`, 'content-type': 'application/json' },
        body: reproducer(depth, service),
      });
      expect(res.status, `depth ${depth}`).toBe(200);
      const logs = await fetch(`${url}/v1/logs?service=${service}`, { headers: { authorization: `Bearer ${read}` } });
      const { items } = (await logs.json()) as { items: { message: string }[] };
      expect(items[0]!.message).toContain('…[nested deeper than 16 levels]');
    }
  });

  it('takes an OTLP/protobuf trace export and answers in protobuf', async () => {
    const ingest = await mint(['ingest']);
    const v1 = otlp.opentelemetry.proto.collector.trace.v1;
    const body = v1.ExportTraceServiceRequest.encode(
      v1.ExportTraceServiceRequest.fromObject({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'e2e-proto' } }] },
            scopeSpans: [{ spans: [{ name: 'no ids' }] }],
          },
        ],
      }),
    ).finish();
    const res = await fetch(`${url}/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ingest}`, 'content-type': 'application/x-protobuf' },
      body: Buffer.from(body),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-protobuf');
    const answer = v1.ExportTraceServiceResponse.toObject(
      v1.ExportTraceServiceResponse.decode(new Uint8Array(await res.arrayBuffer())),
      { longs: Number },
    ) as { partialSuccess: { rejectedSpans: number; errorMessage: string } };
    expect(answer.partialSuccess.rejectedSpans).toBe(1);
    expect(answer.partialSuccess.errorMessage).toMatch(/traceId/);
  });
});
