import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP server that plays Vigil's verification API for the CLI's tests: `POST /v1/verifications` answers
 * `start`, and each `GET` of the status URL answers the next of `polls` (the last one repeats). Every request
 * is recorded with its headers and body.
 */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly contentType?: string;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: unknown;
}

export interface ApiDouble {
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export const running = (checks: Record<string, unknown>) => ({
  status: 200,
  body: { id: 'ver_1', status: 'running', service: 'checkout', environment: 'staging', version: '1.4.2', checks },
});

export const done = (verdict: string, extra: Record<string, unknown> = {}) => ({
  status: 200,
  body: {
    id: 'ver_1',
    status: 'done',
    service: 'checkout',
    environment: 'staging',
    version: '1.4.2',
    verdict,
    score: verdict === 'pass' ? 100 : 50,
    reasons: [{ code: `verdict-${verdict}`, message: `the verification ended ${verdict}` }],
    rollback: verdict === 'fail',
    checks: { health: { state: 'passed' }, canary: { state: verdict === 'pass' ? 'passed' : 'failed' } },
    ...extra,
  },
});

export async function startApiDouble(script: { start?: Answer; polls: Answer[] }): Promise<ApiDouble> {
  const requests: RecordedRequest[] = [];
  let poll = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: text === '' ? undefined : JSON.parse(text),
      });
      let answer: Answer;
      if (req.method === 'POST' && req.url === '/v1/verifications') {
        answer = script.start ?? {
          status: 202,
          body: { id: 'ver_1', status: 'running', statusUrl: '/v1/verifications/ver_1' },
        };
      } else if (req.method === 'GET' && req.url === '/v1/verifications/ver_1') {
        answer = script.polls[Math.min(poll, script.polls.length - 1)]!;
        poll += 1;
      } else {
        answer = {
          status: 404,
          body: { title: 'Not found', status: 404, detail: `no route ${req.method} ${req.url}` },
        };
      }
      res.writeHead(answer.status, {
        'content-type': answer.contentType ?? (answer.status >= 400 ? 'application/problem+json' : 'application/json'),
      });
      res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
