import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Health endpoints for the demo's targets on 127.0.0.1: `/ok/<name>` always passes; `/flap` alternates between
 * 200 and 503 every `flapMs`, driven by the clock it is given so that it needs no timer of its own.
 */
export async function startHealthServer(options: {
  flapMs: number;
  now: () => number;
}): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const up = !req.url?.startsWith('/flap') || Math.floor(options.now() / options.flapMs) % 2 === 0;
    res.writeHead(up ? 200 : 503, { 'content-type': 'application/health+json' });
    res.end(JSON.stringify({ status: up ? 'pass' : 'fail', ...(up ? {} : { output: 'connection pool exhausted' }) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
