import { performance } from 'node:perf_hooks';
import { requestContext, runInContext } from '../context/store.js';
import { reportInternalError } from '../internal/safe.js';
import type { Span } from '../tracing/span.js';
import { startSpan } from '../tracing/tracer.js';
import { completeRequest, incomingRequestId, normalizeMethod, pathOf } from './http-telemetry.js';
import type { ResolvedMonitoringOptions } from './options.js';

/** The parts of a Fastify request/reply/instance used here (no runtime import of fastify). */
export interface FastifyLikeRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly routeOptions?: { readonly url?: string };
}
export interface FastifyLikeReply {
  readonly statusCode: number;
  code(status: number): FastifyLikeReply;
  header(name: string, value: string): FastifyLikeReply;
  send(body: unknown): FastifyLikeReply;
}
type Done = (error?: Error) => void;
export interface FastifyLikeInstance {
  addHook(name: 'onRequest', hook: (req: FastifyLikeRequest, reply: FastifyLikeReply, done: Done) => void): unknown;
  addHook(name: 'onResponse', hook: (req: FastifyLikeRequest, reply: FastifyLikeReply, done: Done) => void): unknown;
  addHook(
    name: 'onError',
    hook: (req: FastifyLikeRequest, reply: FastifyLikeReply, error: Error, done: Done) => void,
  ): unknown;
  get(path: string, handler: (req: FastifyLikeRequest, reply: FastifyLikeReply) => unknown): unknown;
}

interface RequestState {
  readonly started: number;
  readonly span: Span;
  readonly method: string;
  readonly path: string;
  readonly requestId: string;
}

const states = new WeakMap<object, RequestState>();

/** Adds the monitoring hooks to a Fastify instance. */
export function instrumentFastify(app: FastifyLikeInstance, options: ResolvedMonitoringOptions): void {
  app.addHook('onRequest', (req, _reply, done) => {
    let state: RequestState;
    try {
      const path = pathOf(req.url);
      if (options.ignore.has(path)) {
        done();
        return;
      }
      const method = normalizeMethod(req.method);
      const span = startSpan(method, { kind: 'server', headers: req.headers });
      if (span.sampled) span.setAttribute('http.request.method', method).setAttribute('url.path', path);
      const requestId = incomingRequestId(req.headers['x-request-id']) ?? span.spanId;
      state = { started: performance.now(), span, method, path, requestId };
      states.set(req, state);
    } catch (error) {
      reportInternalError('fastify onRequest', error);
      done();
      return;
    }
    runInContext(requestContext(state.span, state.requestId), () => done());
  });
  app.addHook('onError', (req, _reply, error, done) => {
    const state = states.get(req);
    state?.span.recordException(error).setStatus('error', error.message);
    done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    const state = states.get(req);
    if (state) {
      try {
        completeRequest({
          method: state.method,
          route: req.routeOptions?.url ?? 'unmatched',
          path: state.path,
          status: reply.statusCode,
          durationMs: performance.now() - state.started,
          span: state.span,
          accessLog: options.accessLog,
          requestId: state.requestId,
        });
      } catch (error) {
        reportInternalError('fastify onResponse', error);
      }
    }
    done();
  });
}
