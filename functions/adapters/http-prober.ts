import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { ProbeRequest, ProbeResponse, Prober } from '../core/probing/model.js';
import type { UrlPolicy } from '../core/url-policy.js';
import { GuardedHttpClient, RedirectError, type Resolver, UrlRefusedError } from './guarded-http.js';

/**
 * The HTTP prober: the guarded client (guarded-http.ts: URL policy at connect time and on every redirect),
 * a fresh connection per probe (so latency includes connecting and the peer certificate is always seen),
 * one deadline for the whole probe including redirects, and a bounded body read so a huge or endless body
 * costs at most `maxBodyBytes`. Every failure becomes a reason.
 */
export interface HttpProberOptions {
  /** Which addresses may be probed (`VIGIL_ALLOW_PRIVATE_TARGETS`). */
  readonly policy: UrlPolicy;
  /** Name resolution; a stub in tests. @default node:dns */
  readonly resolve?: Resolver;
  /** @default 65536 */
  readonly maxBodyBytes?: number;
  /** @default 5 */
  readonly maxRedirects?: number;
  /** @default 'vigil-probe/1' */
  readonly userAgent?: string;
}

class ProbeFailure extends Error {}

const TLS_CODES = /^(CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|ERR_TLS_|ERR_SSL_|HOSTNAME_MISMATCH)/;

/** A reason a person can act on, from a Node network error. */
export function describeError(error: NodeJS.ErrnoException, url: URL): string {
  const code = error.code ?? '';
  if (error instanceof ProbeFailure || error instanceof RedirectError || error instanceof UrlRefusedError) {
    return error.message;
  }
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
  private readonly userAgent: string;
  private readonly client: GuardedHttpClient;

  constructor(options: HttpProberOptions) {
    this.maxBodyBytes = options.maxBodyBytes ?? 65_536;
    this.userAgent = options.userAgent ?? 'vigil-probe/1';
    this.client = new GuardedHttpClient({
      policy: options.policy,
      maxRedirects: options.maxRedirects ?? 5,
      ...(options.resolve ? { resolve: options.resolve } : {}),
    });
  }

  async probe(req: ProbeRequest): Promise<ProbeResponse> {
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), req.timeoutMs);
    let url: URL | undefined;
    try {
      url = new URL(req.url);
      const { response: res, url: final } = await this.client.request({
        url,
        method: req.method,
        headers: {
          'user-agent': this.userAgent,
          accept: 'application/health+json, application/json;q=0.9, */*;q=0.8',
          ...req.headers,
        },
        signal: controller.signal,
        insecure: req.insecure,
      });
      url = final;
      const certificateValidTo = final.protocol === 'https:' ? validTo(res) : undefined;
      const { body, truncated } = await this.readBody(res, req.method);
      return {
        kind: 'response',
        status: res.statusCode ?? 0,
        contentType: res.headers['content-type'],
        body,
        bodyTruncated: truncated,
        latencyMs: elapsed(),
        ...(certificateValidTo !== undefined ? { certificateValidTo } : {}),
      };
    } catch (error) {
      if (error instanceof UrlRefusedError) {
        return { kind: 'error', reason: error.message, code: error.code, latencyMs: elapsed() };
      }
      if (controller.signal.aborted)
        return { kind: 'error', reason: `timeout after ${req.timeoutMs} ms`, latencyMs: elapsed() };
      const reason = url
        ? describeError(error as NodeJS.ErrnoException, url)
        : `invalid URL ${JSON.stringify(req.url.slice(0, 200))}`;
      return { kind: 'error', reason, latencyMs: elapsed() };
    } finally {
      clearTimeout(timer);
    }
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
