import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { ProbeRequest, ProbeResponse, Prober } from '../core/probing/model.js';

/**
 * The HTTP prober: node:http/https, a fresh connection per probe (so latency includes connecting and the
 * peer certificate is always seen), one deadline for the whole probe including redirects, and a bounded
 * body read so a huge or endless body costs at most `maxBodyBytes`. Every failure becomes a reason.
 */
export interface HttpProberOptions {
  /** @default 65536 */
  readonly maxBodyBytes?: number;
  /** @default 5 */
  readonly maxRedirects?: number;
  /** @default 'vigil-probe/1' */
  readonly userAgent?: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

class ProbeFailure extends Error {}

const TLS_CODES = /^(CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|ERR_TLS_|ERR_SSL_|HOSTNAME_MISMATCH)/;

/** A reason a person can act on, from a Node network error. */
export function describeError(error: NodeJS.ErrnoException, url: URL): string {
  const code = error.code ?? '';
  if (error instanceof ProbeFailure) return error.message;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAI_NONAME') {
    return `host ${url.hostname} did not resolve`;
  }
  if (code === 'ECONNREFUSED') return `connection refused by ${url.host}`;
  if (code === 'ECONNRESET') return 'connection reset';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `host ${url.hostname} is unreachable`;
  if (TLS_CODES.test(code) || /ssl|tls|certificate/i.test(error.message)) return `TLS error: ${error.message}`;
  if (code.startsWith('HPE_')) return `invalid HTTP response (${code})`;
  if (error.message === 'socket hang up') return 'connection closed before a response';
  return error.message || code || 'probe failed';
}

export class HttpProber implements Prober {
  private readonly maxBodyBytes: number;
  private readonly maxRedirects: number;
  private readonly userAgent: string;

  constructor(options: HttpProberOptions = {}) {
    this.maxBodyBytes = options.maxBodyBytes ?? 65_536;
    this.maxRedirects = options.maxRedirects ?? 5;
    this.userAgent = options.userAgent ?? 'vigil-probe/1';
  }

  async probe(req: ProbeRequest): Promise<ProbeResponse> {
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), req.timeoutMs);
    let url: URL | undefined;
    try {
      let current = new URL(req.url);
      url = current;
      let method = req.method;
      const visited = new Set<string>();
      for (let hop = 0; ; hop++) {
        if (current.protocol !== 'http:' && current.protocol !== 'https:') {
          throw new ProbeFailure(`redirected to unsupported scheme ${current.protocol}`);
        }
        visited.add(current.href);
        const res = await this.send(current, method, req, controller.signal);
        const location = res.headers.location;
        if (REDIRECTS.has(res.statusCode ?? 0) && location) {
          res.destroy();
          const next: URL | undefined = URL.canParse(location, current) ? new URL(location, current) : undefined;
          if (!next) throw new ProbeFailure(`invalid redirect location ${JSON.stringify(location.slice(0, 200))}`);
          if (visited.has(next.href)) throw new ProbeFailure(`redirect loop at ${next.href}`);
          if (hop + 1 > this.maxRedirects) throw new ProbeFailure(`more than ${this.maxRedirects} redirects`);
          if (res.statusCode === 303) method = 'GET';
          current = next;
          url = next;
          continue;
        }
        const certificateValidTo = current.protocol === 'https:' ? validTo(res) : undefined;
        const { body, truncated } = await this.readBody(res, method);
        return {
          kind: 'response',
          status: res.statusCode ?? 0,
          contentType: res.headers['content-type'],
          body,
          bodyTruncated: truncated,
          latencyMs: elapsed(),
          ...(certificateValidTo !== undefined ? { certificateValidTo } : {}),
        };
      }
    } catch (error) {
      if (controller.signal.aborted)
        return { kind: 'error', reason: `timeout after ${req.timeoutMs} ms`, latencyMs: elapsed() };
      const reason = url
        ? describeError(error as NodeJS.ErrnoException, url)
        : `invalid URL ${JSON.stringify(req.url)}`;
      return { kind: 'error', reason, latencyMs: elapsed() };
    } finally {
      clearTimeout(timer);
    }
  }

  private send(url: URL, method: string, req: ProbeRequest, signal: AbortSignal): Promise<IncomingMessage> {
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const r = request(url, {
        method,
        headers: {
          'user-agent': this.userAgent,
          accept: 'application/health+json, application/json;q=0.9, */*;q=0.8',
          ...req.headers,
        },
        signal,
        agent: false,
        // SNI comes from the URL's host (and is left out for IP addresses, as RFC 6066 requires).
        ...(url.protocol === 'https:' ? { rejectUnauthorized: !req.insecure } : {}),
      });
      r.once('response', resolve);
      r.once('error', reject);
      r.end();
    });
  }

  /** Reads at most `maxBodyBytes`, then drops the connection: an endless body must not hold the run. */
  private readBody(res: IncomingMessage, method: string): Promise<{ body: string; truncated: boolean }> {
    if (method === 'HEAD') {
      res.destroy();
      return Promise.resolve({ body: '', truncated: false });
    }
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      const settle = (outcome: { body: string; truncated: boolean } | Error) => {
        if (settled) return;
        settled = true;
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      const body = () => Buffer.concat(chunks).subarray(0, this.maxBodyBytes).toString('utf8');
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= this.maxBodyBytes) {
          // Settle before destroying: destroy() emits 'aborted' synchronously.
          settle({ body: body(), truncated: size > this.maxBodyBytes || !res.complete });
          res.destroy();
        }
      });
      res.once('end', () => settle({ body: body(), truncated: false }));
      res.once('error', (error) => settle(error));
      res.once('aborted', () => settle(new ProbeFailure('connection closed while reading the body')));
    });
  }
}

function validTo(res: IncomingMessage): number | undefined {
  const cert = (res.socket as TLSSocket | null)?.getPeerCertificate?.();
  const at = cert?.valid_to ? Date.parse(cert.valid_to) : Number.NaN;
  return Number.isFinite(at) ? at : undefined;
}
