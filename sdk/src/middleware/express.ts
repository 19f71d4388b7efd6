import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { currentContext, requestContext, runInContext, type VigilContext } from '../context/store.js';
import { epochMs } from '../internal/clock.js';
import { reportInternalError } from '../internal/safe.js';
import { startServerSpan } from '../tracing/tracer.js';
import { completeRequest, incomingRequestId, normalizeMethod, pathOf } from './http-telemetry.js';
import type { ResolvedMonitoringOptions } from './options.js';

/** The parts of an Express request the middleware reads (no runtime import of express). */
export interface ExpressLikeRequest extends IncomingMessage {
  readonly baseUrl?: string;
  readonly route?: { readonly path?: unknown };
}

export type ExpressLikeHandler = (
  req: ExpressLikeRequest,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/** The route template Express matched (`/cart/:id`), or `unmatched`; never the raw path. */
export function expressRoute(req: ExpressLikeRequest): string {
  const path = req.route?.path;
  if (path === undefined) return 'unmatched';
  const base = req.baseUrl;
  if (typeof path === 'string' && !base) return path || '/';
  return `${base ?? ''}${typeof path === 'string' ? path : String(path)}` || '/';
}

/**
 * Starts monitoring one request: a server span continuing `traceparent`, and HTTP metrics and an
 * access log line when the response closes. Returns the request's context, or undefined when the
 * path is ignored (or something went wrong, which is reported and never thrown).
 */
export function beginExpressRequest(
  req: ExpressLikeRequest,
  res: ServerResponse,
  path: string,
  options: ResolvedMonitoringOptions,
): VigilContext | undefined {
  try {
    if (options.ignore.has(path)) return undefined;
    const started = performance.now();
    const method = normalizeMethod(req.method);
    const span = startServerSpan(method, req.headers, path, epochMs(started));
    const requestId = incomingRequestId(req.headers['x-request-id']) ?? span.spanId;
    const accessLog = options.accessLog;
    let finished = false;
    // One listener: a ServerResponse emits 'close' both after 'finish' and when the client goes away.
    res.on('close', () => {
      if (finished) return;
      finished = true;
      try {
        const ended = performance.now();
        completeRequest({
          method,
          route: expressRoute(req),
          path,
          status: res.writableFinished || res.headersSent ? res.statusCode : 499,
          durationMs: ended - started,
          endTime: epochMs(ended),
          span,
          accessLog,
          requestId,
        });
      } catch (error) {
        reportInternalError('express finish', error);
      }
    });
    return requestContext(span, requestId);
  } catch (error) {
    reportInternalError('express middleware', error);
    return undefined;
  }
}

/**
 * Express middleware doing what {@link beginExpressRequest} does; `setupMonitoring` uses it only
 * for apps without `app.handle` (it wraps `app.handle` otherwise, which skips a router layer).
 */
export function expressMiddleware(options: ResolvedMonitoringOptions): ExpressLikeHandler {
  return function vigilMonitoring(req, res, next) {
    const context = beginExpressRequest(req, res, pathOf(req.url), options);
    if (context) runInContext(context, next);
    else next();
  };
}

const WRAPPED = Symbol.for('vigil.sdk.wrappedHandle');

type HandleFn = (this: unknown, req: ExpressLikeRequest, res: ServerResponse, callback?: unknown) => unknown;

/** The app's own handlers for `/health` and `/metrics`, answered before Express routing. */
export interface BuiltInRoutes {
  readonly healthPath: string | false;
  readonly metricsPath: string | false;
  readonly health: (req: IncomingMessage, res: ServerResponse) => void;
  readonly metrics: (req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * Wraps `app.handle` (Express 4 and 5), the function every request enters: monitoring costs no
 * router layer, and `/health` and `/metrics` are answered without walking the app's routes.
 * Returns false when the app has no `handle` to wrap.
 */
export function wrapExpressHandle(
  app: { handle?: unknown },
  options: ResolvedMonitoringOptions,
  builtIn: BuiltInRoutes,
): boolean {
  const original = app.handle;
  if (typeof original !== 'function') return false;
  if ((original as { [WRAPPED]?: boolean })[WRAPPED]) return true; // setupMonitoring called twice: once is enough
  const handle = original as HandleFn;
  const wrapped = function vigilHandle(
    this: unknown,
    req: ExpressLikeRequest,
    res: ServerResponse,
    callback?: unknown,
  ) {
    const path = pathOf(req.url);
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (path === builtIn.healthPath) return builtIn.health(req, res);
      if (path === builtIn.metricsPath) return builtIn.metrics(req, res);
    }
    const context = beginExpressRequest(req, res, path, options);
    if (!context) return handle.call(this, req, res, callback);
    return runInContext(context, () => handle.call(this, req, res, callback));
  };
  Object.defineProperty(wrapped, WRAPPED, { value: true });
  app.handle = wrapped;
  return true;
}

/**
 * Optional Express error middleware (add it after your routes): records the exception on the
 * request's span and sends it to Vigil as an error event, then passes the error on.
 * @example
 * app.use(vigilErrorHandler());
 */
export function vigilErrorHandler(): (
  error: unknown,
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void {
  return (error, _req, _res, next) => {
    try {
      currentContext()
        .span?.recordException(error)
        .setStatus('error', error instanceof Error ? error.message : String(error));
    } catch {
      // never interfere with the host's error handling
    }
    next(error);
  };
}
