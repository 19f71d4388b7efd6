import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Reason } from '../core/reason.js';
import { allowedRequestHeaders } from '../core/request-headers.js';
import { addressRefusal, URL_REFUSED, type UrlPolicy, urlRefusal } from '../core/url-policy.js';

/**
 * The one HTTP client for URLs Vigil fetches on a user's behalf (probe targets; deploy URLs and webhooks
 * as they are wired to it). The URL policy is applied where it cannot be raced:
 * - a literal address before connecting (Node does not look literals up);
 * - a hostname inside the socket's `lookup`, to every address it resolves to, so the address checked is
 *   the address connected to (no DNS-rebinding gap between a check and the connect);
 * - every redirect hop again: redirects are followed here, at most `maxRedirects`, never by a library.
 * Headers the user may not set (Host, framing, hop-by-hop) are dropped whatever the caller passes.
 */
export interface GuardedHttpOptions {
  readonly policy: UrlPolicy;
  /** @default 5 */
  readonly maxRedirects?: number;
  /** Name resolution; a stub in tests. @default node:dns lookup of every address */
  readonly resolve?: Resolver;
}

export type Resolver = (hostname: string) => Promise<readonly LookupAddress[]>;

export interface GuardedRequest {
  readonly url: string | URL;
  readonly method: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  readonly signal?: AbortSignal;
  /** Accept any TLS certificate. @default false */
  readonly insecure?: boolean;
}

export interface GuardedResponse {
  readonly response: IncomingMessage;
  /** The URL that answered (after redirects). */
  readonly url: URL;
  readonly redirects: number;
}

/** The URL, or an address it reached, is not allowed; `reason.code` is `url-refused`. */
export class UrlRefusedError extends Error {
  override name = 'UrlRefusedError';
  readonly code = URL_REFUSED;
  constructor(readonly reason: Reason) {
    super(reason.message);
  }
}

/** A redirect the client will not follow (loop, too many, bad Location); `message` is for a person. */
export class RedirectError extends Error {
  override name = 'RedirectError';
}

export const DEFAULT_MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Dropped on a redirect to another origin, as the Fetch standard does with Authorization. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie']);

const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
  );

/** A `lookup` for net/tls sockets that fails the connect unless every resolved address is allowed. */
export function guardedLookup(policy: UrlPolicy, resolve: Resolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (found) => {
        const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
        const addresses = wanted ? found.filter((a) => a.family === wanted) : [...found];
        // Every address, not only the first: a name that resolves to a public and a metadata address would
        // otherwise be one retry (or one Happy Eyeballs attempt) away from the metadata service.
        for (const a of found) {
          const refusal = addressRefusal(a.address, policy);
          if (refusal) {
            const message = `${hostname} resolves to ${refusal.message}`;
            callback(new UrlRefusedError({ code: refusal.code, message }), '', 0);
            return;
          }
        }
        const first = addresses[0];
        if (!first) {
          const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
          error.code = 'ENOTFOUND';
          callback(error, '', 0);
        } else if (options.all) callback(null, addresses);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

export class GuardedHttpClient {
  private readonly policy: UrlPolicy;
  private readonly maxRedirects: number;
  private readonly lookup: LookupFunction;

  constructor(options: GuardedHttpOptions) {
    this.policy = options.policy;
    this.maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    this.lookup = guardedLookup(options.policy, options.resolve);
  }

  /** Whether `url` may be fetched at all, before any lookup (for a check at save time). */
  refusal(url: string | URL): Reason | undefined {
    return urlRefusal(url, this.policy);
  }

  /**
   * Sends the request and follows redirects; resolves with the final response, whose body the caller
   * reads (and bounds). Rejects with UrlRefusedError, RedirectError or the network error.
   */
  async request(req: GuardedRequest): Promise<GuardedResponse> {
    let current = new URL(req.url);
    let method = req.method.toUpperCase();
    let body = req.body;
    let headers = allowedRequestHeaders(req.headers ?? {});
    const visited = new Set<string>();
    for (let hop = 0; ; hop++) {
      const refused = urlRefusal(current, this.policy);
      if (refused) {
        const where = hop === 0 ? '' : ` (redirected to ${current.host.slice(0, 100)})`;
        throw new UrlRefusedError({ code: refused.code, message: `${refused.message}${where}` });
      }
      visited.add(current.href);
      const response = await this.send(current, method, headers, body, req);
      const location = response.headers.location;
      if (!REDIRECTS.has(response.statusCode ?? 0) || !location) return { response, url: current, redirects: hop };
      response.destroy();
      const next = URL.canParse(location, current) ? new URL(location, current) : undefined;
      if (!next) throw new RedirectError(`invalid redirect location ${JSON.stringify(location.slice(0, 100))}`);
      if (visited.has(next.href)) throw new RedirectError(`redirect loop at ${next.href.slice(0, 200)}`);
      if (hop + 1 > this.maxRedirects) throw new RedirectError(`more than ${this.maxRedirects} redirects`);
      // As browsers do: 303 always, and 301/302 after a POST, continue as a GET without the body.
      const status = response.statusCode ?? 0;
      if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
        method = method === 'HEAD' ? 'HEAD' : 'GET';
        body = undefined;
      }
      if (next.origin !== current.origin) {
        headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !CREDENTIAL_HEADERS.has(k.toLowerCase())));
      }
      current = next;
    }
  }

  private send(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: string | Uint8Array | undefined,
    req: GuardedRequest,
  ): Promise<IncomingMessage> {
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const outgoing: OutgoingHttpHeaders = { ...headers };
    if (body !== undefined) outgoing['content-length'] = Buffer.byteLength(body);
    return new Promise((resolve, reject) => {
      const r = request(url, {
        method,
        headers: outgoing,
        // A fresh connection per request: a pooled socket would skip the lookup (and the check).
        agent: false,
        lookup: this.lookup,
        // Happy Eyeballs calls lookup with all: true; the guard handles both forms.
        ...(req.signal ? { signal: req.signal } : {}),
        // SNI comes from the URL's host (and is left out for IP addresses, as RFC 6066 requires).
        ...(url.protocol === 'https:' ? { rejectUnauthorized: !req.insecure } : {}),
      });
      r.once('response', resolve);
      r.once('error', reject);
      r.end(body);
    });
  }
}
