import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A small local service whose health endpoints can be switched between behaviours, for probing tests and
 * the benchmark. `GET /t/{name}` answers as the mode set for `name` (default healthy).
 */
export type Mode =
  | { kind: 'healthy' }
  | { kind: 'slow'; ms: number }
  | { kind: 'failing'; status?: number }
  | { kind: 'down' }
  | { kind: 'health-json'; status: 'pass' | 'warn' | 'fail' };

export interface TargetServer {
  readonly url: string;
  set(name: string, mode: Mode): void;
  hits(name: string): number;
  close(): Promise<void>;
}

function answer(mode: Mode, res: ServerResponse): void {
  switch (mode.kind) {
    case 'healthy':
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"pass","detail":"ok"}');
      return;
    case 'slow':
      setTimeout(() => {
        if (!res.destroyed)
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"pass","detail":"ok"}');
      }, mode.ms).unref();
      return;
    case 'failing':
      res.writeHead(mode.status ?? 500, { 'content-type': 'text/plain' }).end('boom');
      return;
    case 'down':
      res.socket?.destroy();
      return;
    case 'health-json':
      res
        .writeHead(mode.status === 'fail' ? 503 : 200, { 'content-type': 'application/health+json' })
        .end(JSON.stringify({ status: mode.status, output: mode.status === 'pass' ? undefined : 'db slow' }));
      return;
  }
}

function handle(modes: Map<string, Mode>, hits: Map<string, number>) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const [, kind, name = ''] = url.pathname.split('/');
    if (kind === 't') {
      hits.set(name, (hits.get(name) ?? 0) + 1);
      answer(modes.get(name) ?? { kind: 'healthy' }, res);
    } else if (kind === 'loop') {
      res.writeHead(302, { location: name === 'a' ? '/loop/b' : '/loop/a' }).end();
    } else if (kind === 'endless') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(16_384, 'x');
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) {
          /* keep the pipe full */
        }
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    } else {
      res.writeHead(404).end();
    }
  };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as AddressInfo).port;
}

function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
}

export async function startTargetServer(): Promise<TargetServer> {
  const modes = new Map<string, Mode>();
  const hits = new Map<string, number>();
  const server = createHttp({ keepAliveTimeout: 1_000 }, handle(modes, hits));
  server.maxConnections = 5_000;
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    set: (name, mode) => modes.set(name, mode),
    hits: (name) => hits.get(name) ?? 0,
    close: closer(server),
  };
}

/** A self-signed HTTPS server whose certificate expires in `days` days (openssl generates it). */
export async function startHttpsServer(days: number): Promise<{ url: string; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-cert-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ].concat(['-days', String(days), '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1']),
    { stdio: 'ignore' },
  );
  const server = createHttps(
    { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
    (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'),
  );
  const port = await listen(server);
  return { url: `https://127.0.0.1:${port}/health`, close: closer(server) };
}

/** A port nothing listens on: connections to it are refused. */
export async function closedPort(): Promise<number> {
  const server = createHttp();
  const port = await listen(server);
  await closer(server)();
  return port;
}
