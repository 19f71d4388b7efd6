import type { Contribution } from './model.js';
import { HTTP_METRICS } from './service-summary.js';
import { addToBuckets, bucketValue } from './sketch.js';

/**
 * OpenTelemetry's HTTP server conventions → the series the services view reads (`http.server.requests`
 * counter and `http.server.duration` histogram in ms, tagged `route` and `status_class`), so a service
 * instrumented with OpenTelemetry gets the same request rate, error rate and latency as one using Vigil's SDK.
 *
 * | OpenTelemetry | unit | Vigil |
 * |---|---|---|
 * | `http.server.request.duration` (stable) | s | `http.server.duration` in ms + `http.server.requests` (its count) |
 * | `http.server.duration` (before 1.23) | ms | kept as sent + `http.server.requests` (its count) |
 * | `http.response.status_code` / `http.status_code` | | `status_class` (`5xx`) |
 * | `http.route` | | `route` |
 */
export const OTEL_HTTP = { stable: 'http.server.request.duration', old: 'http.server.duration' } as const;

export interface HttpServerView {
  /** Multiply values by this to get ms. */
  readonly toMs: number;
  readonly tags: Record<string, string>;
  /** Whether a ms histogram must be added (the stable name; the old one is already `http.server.duration` in ms). */
  readonly addDuration: boolean;
}

export function httpServerView(
  name: unknown,
  unit: string | undefined,
  attrs: Readonly<Record<string, string | number | boolean>>,
): HttpServerView | undefined {
  if (name !== OTEL_HTTP.stable && name !== OTEL_HTTP.old) return undefined;
  const seconds = name === OTEL_HTTP.stable ? unit !== 'ms' : unit === 's';
  const code = attrs['http.response.status_code'] ?? attrs['http.status_code'];
  const route = attrs['http.route'];
  const statusClass = code === undefined ? undefined : /^[1-5]/.exec(String(code))?.[0];
  return {
    toMs: seconds ? 1_000 : 1,
    tags: {
      ...(route !== undefined && route !== '' ? { route: String(route) } : {}),
      ...(statusClass ? { status_class: `${statusClass}xx` } : {}),
    },
    addDuration: name === OTEL_HTTP.stable || seconds,
  };
}

/** An explicit-bucket point with its values multiplied by `factor` (bounds, sum, min, max): exact. */
export function scaledPoint(point: Record<string, unknown>, factor: number): Record<string, unknown> {
  const times = (x: unknown) => (x === undefined || x === null ? x : Number(x) * factor);
  return {
    ...point,
    ...(Array.isArray(point.explicitBounds) ? { explicitBounds: point.explicitBounds.map(times) } : {}),
    ...(point.sum !== undefined ? { sum: times(point.sum) } : {}),
    ...(point.min !== undefined ? { min: times(point.min) } : {}),
    ...(point.max !== undefined ? { max: times(point.max) } : {}),
  };
}

/** A contribution with its values multiplied by `factor` (buckets re-placed by their representative). */
export function scaledContribution(c: Contribution, factor: number): Contribution {
  const buckets = new Map<string, number>();
  for (const [key, k] of c.buckets ?? []) addToBuckets(buckets, bucketValue(key) * factor, k);
  return { count: c.count, sum: c.sum * factor, min: c.min * factor, max: c.max * factor, buckets };
}

export { HTTP_METRICS };
