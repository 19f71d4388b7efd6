import { currentContext } from '../context/store.js';
import type { Span } from './span.js';
import { withSpan } from './tracer.js';

/**
 * `traceparent` (and `tracestate`) for the active span, or for `span`; empty when there is none.
 * @example
 * await fetch(url, { headers: { ...traceHeaders(), accept: 'application/json' } });
 */
export function traceHeaders(span: Span | undefined = currentContext().span): Record<string, string> {
  if (!span) return {};
  const out: Record<string, string> = { traceparent: span.traceparent() };
  if (span.traceState) out.tracestate = span.traceState;
  return out;
}

/**
 * A copy of `init` with trace headers added to whatever headers it had (object, array or Headers).
 * @example
 * await fetch('http://payments/charge', injectTraceHeaders({ method: 'POST', body }));
 */
export function injectTraceHeaders(init: RequestInit = {}, span?: Span): RequestInit {
  const extra = traceHeaders(span);
  if (Object.keys(extra).length === 0) return init;
  const headers = new Headers(init.headers);
  for (const [k, v] of Object.entries(extra)) headers.set(k, v);
  return { ...init, headers };
}

/**
 * `fetch` inside a client span: trace headers injected, method, URL and status recorded,
 * 5xx and network errors mark the span as error. The response or error is passed through.
 * @example
 * const res = await tracedFetch('http://payments/charge', { method: 'POST', body });
 */
export function tracedFetch(
  input: string | URL,
  init: RequestInit = {},
  fetchImpl: typeof fetch = fetch,
): Promise<Response> {
  const url = typeof input === 'string' ? input : input.toString();
  const method = (init.method ?? 'GET').toUpperCase();
  let host = '';
  try {
    host = new URL(url).host;
  } catch {
    // relative or invalid URL: fetch will report it
  }
  return withSpan(
    `${method} ${host}`.trim(),
    async (span) => {
      const response = await fetchImpl(url, injectTraceHeaders(init, span));
      span.setAttribute('http.response.status_code', response.status);
      if (response.status >= 500) span.setStatus('error', `HTTP ${response.status}`);
      return response;
    },
    { kind: 'client', attributes: { 'http.request.method': method, 'url.full': url, 'server.address': host } },
  );
}
