import { performance } from 'node:perf_hooks';
import { applyConnectionOptions, type ConnectionOptions } from '../config/resource.js';
import { currentContext, enterContext } from '../context/store.js';
import { reportInternalError } from '../internal/safe.js';
import { flush } from '../lifecycle/shutdown.js';
import { logger } from '../logging/logger.js';
import { counter, histogram } from '../metrics/create.js';
import type { Span } from '../tracing/span.js';
import { startSpan } from '../tracing/tracer.js';
import { completeRequest, normalizeMethod } from './http-telemetry.js';

/** The parts of a middy request used here (no runtime import of @middy/core). */
export interface MiddyLikeRequest {
  readonly event: unknown;
  readonly context: { readonly awsRequestId?: string; readonly functionName?: string } | undefined;
  readonly response: unknown;
  readonly error: unknown;
}

export interface MiddyLikeMiddleware {
  before(request: MiddyLikeRequest): Promise<void>;
  after(request: MiddyLikeRequest): Promise<void>;
  onError(request: MiddyLikeRequest): Promise<void>;
}

export interface LambdaMonitoringOptions extends ConnectionOptions {
  /** Flush metrics, logs and spans before the invocation returns (Lambda may freeze right after). @default true */
  readonly flushOnEnd?: boolean;
  /** Longest the flush may delay the response; unsent data stays buffered for the next invocation. @default 2000 */
  readonly flushTimeoutMs?: number;
  /** One access log line per invocation. @default true */
  readonly accessLog?: boolean;
}

interface HttpEventInfo {
  readonly method: string;
  readonly route: string;
  readonly path: string;
  readonly headers: Record<string, string | undefined>;
}

/** API Gateway (REST v1 and HTTP v2) and function URL events; undefined for other triggers. */
export function httpInfo(event: unknown): HttpEventInfo | undefined {
  if (event === null || typeof event !== 'object') return undefined;
  const e = event as Record<string, unknown>;
  const rc = (e.requestContext ?? {}) as Record<string, unknown>;
  const http = rc.http as { method?: string; path?: string } | undefined;
  const rawHeaders = (e.headers ?? {}) as Record<string, unknown>;
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(rawHeaders)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
  if (http?.method) {
    const routeKey = typeof e.routeKey === 'string' ? e.routeKey : '$default';
    const space = routeKey.indexOf(' ');
    return {
      method: normalizeMethod(http.method),
      route: space === -1 ? routeKey : routeKey.slice(space + 1),
      path: typeof e.rawPath === 'string' ? e.rawPath : (http.path ?? '/'),
      headers,
    };
  }
  if (typeof e.httpMethod === 'string') {
    return {
      method: normalizeMethod(e.httpMethod),
      route: typeof e.resource === 'string' ? e.resource : 'unmatched',
      path: typeof e.path === 'string' ? e.path : '/',
      headers,
    };
  }
  return undefined;
}

const invocations = counter('faas.invocations', { description: 'Lambda invocations by outcome', noPrefix: true });
const invocationDuration = histogram('faas.duration', {
  description: 'Lambda invocation duration',
  unit: 'ms',
  noPrefix: true,
});

interface InvocationState {
  readonly started: number;
  readonly span: Span;
  readonly http: HttpEventInfo | undefined;
  readonly requestId: string | undefined;
  readonly coldStart: boolean;
}

let coldStart = true;

/**
 * middy middleware for Lambda: a span per invocation (continuing `traceparent` from API Gateway
 * headers), request context for logs, HTTP metrics for API Gateway events or `faas.invocations`
 * and `faas.duration` otherwise, an access log line, and a flush before returning.
 * @example
 * import middy from '@middy/core';
 * export const handler = middy(async (event) => ({ statusCode: 200, body: 'ok' }))
 *   .use(vigilMiddleware({ serviceName: 'orders-api' }));
 */
export function vigilMiddleware(options: LambdaMonitoringOptions = {}): MiddyLikeMiddleware {
  applyConnectionOptions(options);
  const states = new WeakMap<object, InvocationState>();
  const flushOnEnd = options.flushOnEnd ?? true;
  const flushTimeoutMs = options.flushTimeoutMs ?? 2000;
  const accessLog = options.accessLog ?? true;

  async function finish(request: MiddyLikeRequest, failed: boolean): Promise<void> {
    const state = states.get(request);
    if (!state) return;
    states.delete(request);
    try {
      const durationMs = performance.now() - state.started;
      if (state.http) {
        const response = request.response as { statusCode?: unknown } | null | undefined;
        const status = failed ? 500 : typeof response?.statusCode === 'number' ? response.statusCode : 200;
        completeRequest({
          method: state.http.method,
          route: state.http.route,
          path: state.http.path,
          status,
          durationMs,
          span: state.span,
          accessLog,
          requestId: state.requestId,
          extra: { coldStart: state.coldStart },
        });
      } else {
        const outcome = failed ? 'error' : 'success';
        invocations.inc(1, { outcome });
        invocationDuration.observe(durationMs, { outcome });
        if (failed && state.span.status === 'unset') state.span.setStatus('error');
        state.span.end();
        if (accessLog) {
          logger[failed ? 'error' : 'info']('invocation completed', {
            requestId: state.requestId,
            coldStart: state.coldStart,
            duration_ms: Math.round(durationMs * 1000) / 1000,
          });
        }
      }
    } catch (error) {
      reportInternalError('middy finish', error);
    }
    if (flushOnEnd) await flush(flushTimeoutMs);
  }

  return {
    async before(request) {
      try {
        const http = httpInfo(request.event);
        const requestId = request.context?.awsRequestId;
        const span = startSpan(http ? http.method : (request.context?.functionName ?? 'invoke'), {
          kind: http ? 'server' : 'internal',
          ...(http ? { headers: http.headers } : {}),
          attributes: { 'faas.invocation_id': requestId, 'faas.coldstart': coldStart },
        });
        states.set(request, { started: performance.now(), span, http, requestId, coldStart });
        coldStart = false;
        enterContext({ span, fields: { ...currentContext().fields, ...(requestId ? { requestId } : {}) } });
      } catch (error) {
        reportInternalError('middy before', error);
      }
    },
    async after(request) {
      await finish(request, false);
    },
    async onError(request) {
      const state = states.get(request);
      if (state && request.error !== undefined && request.error !== null) {
        state.span
          .recordException(request.error)
          .setStatus('error', request.error instanceof Error ? request.error.message : String(request.error));
      }
      await finish(request, true);
    },
  };
}
