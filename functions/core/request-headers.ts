/**
 * Request headers a user may not set on a URL Vigil fetches for them. `Host` would let a target reach
 * a virtual host other than the one its URL names (the URL is what the guard checks); the framing and
 * hop-by-hop headers belong to the HTTP client, and a wrong `Content-Length` or `Transfer-Encoding`
 * desynchronises the connection.
 */
export const FORBIDDEN_REQUEST_HEADERS = [
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'trailer',
  'upgrade',
  'expect',
] as const;

const FORBIDDEN: ReadonlySet<string> = new Set(FORBIDDEN_REQUEST_HEADERS);

export function isForbiddenRequestHeader(name: string): boolean {
  return FORBIDDEN.has(name.toLowerCase());
}

export const FORBIDDEN_HEADER_MESSAGE =
  'must not be set: Vigil sets Host, Content-Length, Transfer-Encoding and the connection headers itself';

/** The headers without the forbidden ones (targets stored before the rule was enforced). */
export function allowedRequestHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !isForbiddenRequestHeader(name)));
}
