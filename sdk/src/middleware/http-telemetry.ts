import { jsonPair, jsonValue } from '../logging/format.js';
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

const METHOD_NAMES = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'CONNECT', 'TRACE', 'OTHER'] as const;
const METHOD_INDEX = new Map<string, number>(METHOD_NAMES.map((m, i) => [m, i]));
const CLASS_NAMES = ['1xx', '2xx', '3xx', '4xx', '5xx', 'unknown'] as const;
const MAX_CACHED_ROUTES = 1000;

/** Index into `2xx`, `4xx`… (`unknown` for nonsense), so series stay few. */
function classIndex(status: number): number {
  return status >= 100 && status < 600 ? Math.floor(status / 100) - 1 : 5;
}

/** Unknown methods collapse to `OTHER`: an attacker must not be able to mint series. */
export function normalizeMethod(method: string | undefined): string {
  if (method === undefined) return 'GET';
  if (METHOD_INDEX.has(method)) return method;
  const upper = method.toUpperCase();
  return METHOD_INDEX.has(upper) ? upper : 'OTHER';
}

interface HttpSeries {
  readonly requests: CounterSeries;
  readonly duration: HistogramSeries;
}

/** What is kept per route template: its series by (method, status class) and its access-log pair. */
interface RouteEntry {
  readonly slots: Array<HttpSeries | undefined>;
  readonly routePair: string;
}

const byRoute = new Map<string, RouteEntry>();

function routeEntry(route: string): RouteEntry {
  let entry = byRoute.get(route);
  if (entry === undefined) {
    entry = {
      slots: new Array<HttpSeries | undefined>(METHOD_NAMES.length * CLASS_NAMES.length),
      routePair: `,"http.route":${JSON.stringify(route)}`,
    };
    if (byRoute.size < MAX_CACHED_ROUTES) byRoute.set(route, entry);
  }
  return entry;
}

function methodIndex(method: string): number {
  return METHOD_INDEX.get(method) ?? METHOD_NAMES.length - 1;
}

/**
 * Records `http.server.requests` and `http.server.duration` through series bound once per route
 * template and found by (method, status class) index: no string building per request.
 */
function record(entry: RouteEntry, route: string, m: number, status: number, durationMs: number): void {
  const c = classIndex(status);
  const slot = m * CLASS_NAMES.length + c;
  let series = entry.slots[slot];
  if (series === undefined) {
    const tags = { method: METHOD_NAMES[m]!, route, status_class: CLASS_NAMES[c]! };
    series = { requests: httpRequests.labels(tags), duration: httpDuration.labels(tags) };
    entry.slots[slot] = series;
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
  /** When the request finished, in epoch milliseconds (ends the span and stamps the access log). @default now */
  readonly endTime?: number;
  readonly span: Span;
  readonly accessLog: boolean;
  readonly requestId?: string;
  readonly extra?: LogAttributes;
}

const accessLogger = logger.child({ component: 'http' });
const ACCESS_KEYS: ReadonlySet<string> = new Set([
  'http.method',
  'http.route',
  'url.path',
  'http.status_code',
  'duration_ms',
  'requestId',
]);
const METHOD_PAIRS = METHOD_NAMES.map((m) => `,"http.method":"${m}"`);

function roundedDuration(durationMs: number): number {
  return Math.round(durationMs * 1000) / 1000;
}

/**
 * Milliseconds to three decimals as JSON, from integer microseconds: formatting integers is
 * several times cheaper than formatting a double. `1.5` comes out as `1.500`, the same number.
 */
export function millisJson(durationMs: number): string {
  if (!(durationMs >= 0 && durationMs < 1e9)) return jsonValue(roundedDuration(durationMs)) ?? 'null';
  const micros = Math.round(durationMs * 1000);
  const fraction = micros % 1000;
  return `${(micros - fraction) / 1000}.${fraction < 10 ? '00' : fraction < 100 ? '0' : ''}${fraction}`;
}

function accessAttributes(done: CompletedRequest): LogAttributes {
  return {
    'http.method': done.method,
    'http.route': done.route,
    'url.path': done.path,
    'http.status_code': done.status,
    duration_ms: roundedDuration(done.durationMs),
    ...(done.requestId === undefined ? {} : { requestId: done.requestId }),
    ...done.extra,
  };
}

/**
 * The access log line. Its attributes are written straight into JSON (method and route pairs are
 * made once); the object form is built only for pretty lines or shipping.
 */
function writeAccessLog(done: CompletedRequest, m: number, entry: RouteEntry): void {
  const status = Number.isInteger(done.status) ? `${done.status | 0}` : jsonValue(done.status);
  let pairs = `${METHOD_PAIRS[m]}${entry.routePair},"url.path":${JSON.stringify(done.path)},"http.status_code":${status},"duration_ms":${millisJson(done.durationMs)}`;
  if (done.requestId !== undefined) pairs += `,"requestId":${JSON.stringify(done.requestId)}`;
  let keys = ACCESS_KEYS;
  const extra = done.extra;
  if (extra) {
    const extraKeys = Object.keys(extra).filter((key) => !ACCESS_KEYS.has(key));
    for (const key of extraKeys) pairs += jsonPair(key, extra[key]);
    keys = new Set([...ACCESS_KEYS, ...extraKeys]);
  }
  accessLogger.writePrepared(
    done.status >= 500 ? 'error' : 'info',
    'request completed',
    pairs,
    keys,
    () => accessAttributes(done),
    done.endTime === undefined ? undefined : Math.floor(done.endTime),
  );
}

/** Everything that happens when a request finishes: metrics, span status and end, access log. */
export function completeRequest(done: CompletedRequest): void {
  const entry = routeEntry(done.route);
  const m = methodIndex(done.method);
  record(entry, done.route, m, done.status, done.durationMs);
  const span = done.span;
  if (span.isRecording()) {
    span.updateName(`${done.method} ${done.route}`);
    span.setAttribute('http.route', done.route);
    span.setAttribute('http.response.status_code', done.status);
    if (done.status >= 500 && span.status === 'unset') span.setStatus('error', `HTTP ${done.status}`);
  }
  span.end(done.endTime);
  if (done.accessLog) writeAccessLog(done, m, entry);
}

/** `x-request-id` when the caller sent a sane one (1–200 characters); callers fall back to the server span's id. */
export function incomingRequestId(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' && header.length > 0 && header.length <= 200 ? header : undefined;
}

/** The path without the query string (for the access log only; never a metric tag). */
export function pathOf(url: string | undefined): string {
  if (!url) return '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
