import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: any;
  readonly at: number;
}

export interface Reply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  /** Answer this many milliseconds later (a slow Vigil). */
  readonly delayMs?: number;
}

export type Responder = (req: Recorded, index: number) => Reply;

/** A real HTTP server on 127.0.0.1 (port 0) that records every request and answers as told. */
export interface Recorder {
  readonly url: string;
  readonly port: number;
  readonly requests: Recorded[];
  respond(fn: Responder): void;
  waitFor(predicate: (requests: Recorded[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export const accept: Responder = () => ({ status: 202, body: { accepted: {}, rejected: [] } });

export async function startRecorder(port = 0): Promise<Recorder> {
  const requests: Recorded[] = [];
  let responder: Responder = accept;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // keep the raw text
      }
      const recorded: Recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        at: Date.now(),
      };
      requests.push(recorded);
      const reply = responder(recorded, requests.length - 1);
      const answer = (): void => {
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
      };
      if (reply.delayMs) setTimeout(answer, reply.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    requests,
    respond(fn) {
      responder = fn;
    },
    async waitFor(predicate, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      while (!predicate(requests)) {
        if (Date.now() > until) throw new Error(`timed out waiting; ${requests.length} request(s) recorded`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Every item of `kind` across all recorded ingest bodies. */
export function ingested<K extends 'metrics' | 'logs' | 'spans' | 'errors'>(requests: Recorded[], kind: K): any[] {
  return requests.filter((r) => r.url === '/v1/ingest').flatMap((r) => (r.body?.[kind] as any[]) ?? []);
}
