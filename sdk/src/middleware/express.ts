import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { currentContext, runInContext } from '../context/store.js';
import { reportInternalError } from '../internal/safe.js';
import { startSpan } from '../tracing/tracer.js';
import { completeRequest, normalizeMethod, pathOf } from './http-telemetry.js';
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
  return `${req.baseUrl ?? ''}${typeof path === 'string' ? path : String(path)}` || '/';
}

/**
 * Express middleware: a server span continuing `traceparent`, request context for logs,
 * HTTP metrics and an access log line when the response finishes.
 * @example
 * app.use(expressMiddleware(resolveMonitoringOptions({})));
 */
export function expressMiddleware(options: ResolvedMonitoringOptions): ExpressLikeHandler {
  return function vigilMonitoring(req, res, next) {
    let started: number;
    let span: ReturnType<typeof startSpan>;
    let requestId: string;
    try {
      const path = pathOf(req.url);
      if (options.ignore.has(path)) {
        next();
        return;
      }
      started = performance.now();
      const method = normalizeMethod(req.method);
      span = startSpan(`${method}`, { kind: 'server', headers: req.headers as Record<string, string | undefined> });
      if (span.sampled) span.setAttribute('http.request.method', method).setAttribute('url.path', path);
      const header = req.headers['x-request-id'];
      requestId = typeof header === 'string' && header.length <= 200 ? header : randomUUID();
      let finished = false;
      // One listener: a ServerResponse emits 'close' both after 'finish' and when the client goes away.
      res.on('close', () => {
        if (finished) return;
        finished = true;
        try {
          completeRequest({
            method,
            route: expressRoute(req),
            path,
            status: res.writableFinished || res.headersSent ? res.statusCode : 499,
            durationMs: performance.now() - started,
            span,
            accessLog: options.accessLog,
            extra: { requestId },
          });
        } catch (error) {
          reportInternalError('express finish', error);
        }
      });
    } catch (error) {
      reportInternalError('express middleware', error);
      next();
      return;
    }
    runInContext({ span, fields: { ...currentContext().fields, requestId } }, next);
  };
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
