import { type LogAttributes, logger } from '../logging/logger.js';
import type { CounterSeries } from '../metrics/counter.js';
import { counter, histogram } from '../metrics/create.js';
import type { HistogramSeries } from '../metrics/histogram.js';
import type { Span } from '../tracing/span.js';

/** The standard HTTP server metrics (never prefixed, so dashboards find them by name). */
export const httpRequests = counter('http.server.requests', {
  description: 'HTTP requests served, by method, route template and status class',
  noPrefix: true,
});
export const httpDuration = histogram('http.server.duration', {
  description: 'HTTP request duration in milliseconds, by method, route template and status class',
  unit: 'ms',
  noPrefix: true,
});

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'CONNECT', 'TRACE']);
const MAX_CACHED = 5000;

/** `2xx`, `4xx`… (`unknown` for nonsense), so series stay few. */
export function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'unknown';
}

/** Unknown methods collapse to `OTHER`: an attacker must not be able to mint series. */
export function normalizeMethod(method: string | undefined): string {
  const upper = (method ?? 'GET').toUpperCase();
  return METHODS.has(upper) ? upper : 'OTHER';
}

const bound = new Map<string, { requests: CounterSeries; duration: HistogramSeries }>();

/** Records `http.server.requests` and `http.server.duration` through series bound once per (method, route, class). */
export function recordHttpMetrics(method: string, route: string, status: number, durationMs: number): void {
  const cls = statusClass(status);
  const key = `${method} ${cls} ${route}`;
  let series = bound.get(key);
  if (!series) {
    const tags = { method, route, status_class: cls };
    series = { requests: httpRequests.labels(tags), duration: httpDuration.labels(tags) };
    if (bound.size < MAX_CACHED) bound.set(key, series);
  }
  series.requests.inc();
  series.duration.observe(durationMs);
}

export interface CompletedRequest {
  readonly method: string;
  readonly route: string;
  readonly path: string;
  readonly status: number;
  readonly durationMs: number;
  readonly span: Span;
  readonly accessLog: boolean;
  readonly extra?: LogAttributes;
}

const accessLogger = logger.child({ component: 'http' });

/** Everything that happens when a request finishes: metrics, span status and end, access log. */
export function completeRequest(done: CompletedRequest): void {
  recordHttpMetrics(done.method, done.route, done.status, done.durationMs);
  const span = done.span;
  if (span.isRecording()) {
    span.updateName(`${done.method} ${done.route}`);
    span.setAttribute('http.route', done.route);
    span.setAttribute('http.response.status_code', done.status);
    if (done.status >= 500 && span.status === 'unset') span.setStatus('error', `HTTP ${done.status}`);
  }
  span.end();
  if (done.accessLog) {
    const attributes: LogAttributes = {
      'http.method': done.method,
      'http.route': done.route,
      'url.path': done.path,
      'http.status_code': done.status,
      duration_ms: Math.round(done.durationMs * 1000) / 1000,
    };
    if (done.extra) Object.assign(attributes, done.extra);
    if (done.status >= 500) accessLogger.error('request completed', attributes);
    else accessLogger.info('request completed', attributes);
  }
}

/** The path without the query string (for the access log only; never a metric tag). */
export function pathOf(url: string | undefined): string {
  if (!url) return '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
