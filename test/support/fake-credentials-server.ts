import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Stands in for an instance metadata credential endpoint (issue #9's reproducer): every path answers a
 * credentials document the size of a real one. Records the headers it was sent.
 */
export const FAKE_CREDENTIALS = {
  Code: 'Success',
  LastUpdated: '2026-01-01T00:00:00Z',
  Type: 'AWS-HMAC',
  AccessKeyId: 'ASIAFAKEACCESSKEY123',
  SecretAccessKey: 'fakeSecretAccessKey/Never/In/A/Reason/0123456789',
  Token: `FakeSessionToken${'Z'.repeat(1_200)}`,
  Expiration: '2026-01-01T06:00:00Z',
} as const;

export interface FakeCredentialsServer {
  readonly url: string;
  readonly requests: { path: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

export async function startFakeCredentialsServer(): Promise<FakeCredentialsServer> {
  const requests: FakeCredentialsServer['requests'] = [];
  const server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(FAKE_CREDENTIALS));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
