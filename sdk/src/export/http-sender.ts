import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isRetryableStatus, parseRetryAfter } from './backoff.js';

/** One HTTP attempt's outcome, classified for the retry loop. */
export interface SendResult {
  readonly ok: boolean;
  readonly status?: number;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly error?: string;
  readonly body?: unknown;
}

// Keep-alive agents: batches reuse a connection. Node unrefs idle pooled sockets, so they never keep
// the service's process alive. Two sockets at most: the SDK sends one request at a time per pipe.
const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 2 });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 2 });
const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * POSTs a JSON string with node:http(s) — one write for the whole body, where fetch would stream it
 * through web streams at several times the CPU — and never throws. Network errors and timeouts are
 * retryable; the response body is read (up to 1 MiB) and parsed when it is JSON.
 */
export function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<SendResult> {
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const done = (result: SendResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const failed = (error: unknown): void => done({ ok: false, retryable: true, error: describe(url, error) });
    let target: URL;
    try {
      target = new URL(url);
      if (target.protocol !== 'http:' && target.protocol !== 'https:')
        throw new Error(`unsupported protocol ${target.protocol}`);
    } catch (error) {
      // A bad endpoint will not get better by retrying.
      settled = true;
      resolve({ ok: false, retryable: false, error: describe(url, error) });
      return;
    }
    const https = target.protocol === 'https:';
    const payload = Buffer.from(body, 'utf8'); // encoded once: its length is the Content-Length
    const req = (https ? httpsRequest : httpRequest)(
      target,
      {
        method: 'POST',
        agent: https ? httpsAgent : httpAgent,
        headers: { 'content-type': 'application/json', 'content-length': payload.length, ...headers },
      },
      (res) => readResponse(res, url, done, failed),
    );
    timer = setTimeout(() => {
      req.destroy(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    timer.unref();
    req.on('error', failed);
    req.end(payload);
  });
}

function describe(url: string, error: unknown): string {
  return `${url}: ${error instanceof Error ? error.message : String(error)}`;
}

function readResponse(
  res: IncomingMessage,
  url: string,
  done: (result: SendResult) => void,
  failed: (error: unknown) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  res.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
  });
  res.on('error', failed);
  res.on('end', () => {
    const status = res.statusCode ?? 0;
    const text = size <= MAX_RESPONSE_BYTES ? Buffer.concat(chunks).toString('utf8') : '';
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    if (status >= 200 && status < 300) {
      done({ ok: true, status, retryable: false, body: parsed });
      return;
    }
    const header = res.headers['retry-after'];
    const retryAfterMs = parseRetryAfter(typeof header === 'string' ? header : null, Date.now());
    done({
      ok: false,
      status,
      retryable: isRetryableStatus(status),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      error: `HTTP ${status} from ${url}`,
      body: parsed,
    });
  });
}
