import type { Logger } from '@aws-lambda-powertools/logger';
import { correlationPaths } from '@aws-lambda-powertools/logger/correlationId';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { FunctionName } from '../catalog/functions.js';
import { findRoute, type RouteKeyOf, routeKey, routesOf } from '../catalog/routes.js';
import { DomainError, ValidationError } from '../core/errors.js';
import type { TokenRecord } from '../core/tokens.js';
import type { Authenticator } from './auth.js';
import { decodeBody } from './body.js';
import { publishMetrics } from './metrics-middleware.js';
import type { Observability } from './observability.js';
import { API_HEADERS, problemResponse } from './problem.js';

/** What a route handler sees: the parsed request, never the raw API Gateway event. */
export interface HttpRequest {
  readonly routeKey: string;
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON body, or undefined. */
  readonly body: unknown;
  /** The body's bytes (for non-JSON media types such as protobuf). */
  readonly raw: Buffer | undefined;
  readonly contentType: string | undefined;
  readonly principal: TokenRecord | undefined;
  readonly requestId: string;
  readonly logger: Logger;
  /** The Lambda context (remaining time, function name). */
  readonly context: Context;
}

export interface HttpResult {
  readonly status: number;
  /** Serialised as JSON unless `text` is given. */
  readonly body?: unknown;
  readonly text?: string;
  /** Bytes (such as an OTLP protobuf answer), sent base64-encoded to API Gateway; set the content type in `headers`. */
  readonly binary?: Uint8Array;
  readonly headers?: Record<string, string>;
}

export type RouteHandler = (req: HttpRequest) => Promise<HttpResult>;

export interface HttpFunctionOptions<F extends FunctionName> {
  readonly name: F;
  /**
   * One handler per route of this function in the route table, checked at compile time (and `$default`
   * for the fallback function).
   */
  readonly routes: Readonly<Record<RouteKeyOf<F>, RouteHandler>> & { readonly $default?: RouteHandler };
  readonly obs: Observability;
  /** Required when any route of the function needs a scope. */
  readonly auth?: Authenticator;
  readonly maxBodyBytes: number;
  /** @default ['application/json'] */
  readonly accepts?: readonly string[];
}

const SECRET_HEADERS = new Set(['authorization', 'cookie', 'x-api-key']);

/** The event as it may be logged: credentials replaced. */
export function redactEvent(event: APIGatewayProxyEventV2): APIGatewayProxyEventV2 {
  const headers = Object.fromEntries(
    Object.entries(event.headers ?? {}).map(([k, val]) => [
      k,
      SECRET_HEADERS.has(k.toLowerCase()) ? '[redacted]' : val,
    ]),
  );
  return { ...event, headers, ...(event.cookies ? { cookies: ['[redacted]'] } : {}) };
}

export type ApiHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** Fails at cold start when the handler and the route table disagree, so drift never reaches a request. */
function checkRoutes<F extends FunctionName>(options: HttpFunctionOptions<F>): void {
  const declared = routesOf(options.name).map(routeKey).sort();
  const implemented = Object.keys(options.routes)
    .filter((k) => k !== '$default')
    .sort();
  if (declared.join('\n') !== implemented.join('\n')) {
    throw new Error(
      `${options.name}: route table has [${declared.join(', ')}] but handler implements [${implemented.join(', ')}]`,
    );
  }
  if (!options.auth && routesOf(options.name).some((r) => r.scope !== null)) {
    throw new Error(`${options.name}: routes need a scope but no authenticator was given`);
  }
}

export function httpFunction<F extends FunctionName>(options: HttpFunctionOptions<F>): ApiHandler {
  checkRoutes(options);
  const { logger, metrics, tracer } = options.obs;
  const accepts = options.accepts ?? ['application/json'];

  const core = async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    const requestId = event.requestContext?.requestId ?? 'unknown';
    const path = event.rawPath ?? '/';
    try {
      const key = event.routeKey;
      if (options.obs.logEvent) logger.info('event', { event: redactEvent(event) });
      const handler = (options.routes as Readonly<Record<string, RouteHandler | undefined>>)[key];
      if (!handler) throw new Error(`no handler for route ${key}`);
      const headers = event.headers ?? {};
      const route = findRoute(key);
      const principal =
        route?.scope && options.auth ? await options.auth.authenticate(headers.authorization, route.scope) : undefined;
      // The fallback route answers 404/405 whatever the body is.
      const params = (event.pathParameters ?? {}) as Record<string, string>;
      // `/v1/targets/` can reach `{id}` with an empty id: refused here, for every route, before any storage.
      const empty = Object.entries(params).filter(([, val]) => val === '');
      if (empty.length)
        throw new ValidationError(empty.map(([name]) => ({ path: name, message: 'must not be empty' })));
      const decoded =
        key === '$default'
          ? { raw: undefined, contentType: undefined, json: undefined }
          : decodeBody(event.body, event.isBase64Encoded ?? false, headers['content-type'], {
              maxBytes: options.maxBodyBytes,
              accepts,
              contentEncoding: headers['content-encoding'],
            });
      const result = await handler({
        routeKey: key,
        method: event.requestContext?.http?.method ?? 'GET',
        path,
        params,
        query: (event.queryStringParameters ?? {}) as Record<string, string>,
        headers: headers as Record<string, string>,
        body: decoded.json,
        raw: decoded.raw,
        contentType: decoded.contentType,
        principal,
        requestId,
        logger,
        context,
      });
      if (result.binary !== undefined) {
        return {
          statusCode: result.status,
          headers: { ...API_HEADERS, 'x-request-id': requestId, ...result.headers },
          body: Buffer.from(result.binary).toString('base64'),
          isBase64Encoded: true,
        };
      }
      const isText = result.text !== undefined;
      return {
        statusCode: result.status,
        headers: {
          ...(result.body !== undefined && !isText ? { 'content-type': 'application/json' } : {}),
          ...API_HEADERS,
          'x-request-id': requestId,
          ...result.headers,
        },
        body: isText ? result.text : result.body === undefined ? '' : JSON.stringify(result.body),
      };
    } catch (error) {
      if (error instanceof DomainError) {
        logger.info('request rejected', { status: error.status, detail: error.message, path });
        metrics.addMetric('RequestsRejected', MetricUnit.Count, 1);
      } else {
        logger.error('request failed', error as Error);
        metrics.addMetric('RequestsFailed', MetricUnit.Count, 1);
      }
      return problemResponse(error, path, requestId);
    }
  };

  return (
    middy(core)
      .use(captureLambdaHandler(tracer, { captureResponse: false }))
      // The event is logged by `core`, redacted; Powertools' own event log would print the raw Authorization header.
      .use(
        injectLambdaContext(logger, {
          correlationIdPath: correlationPaths.API_GATEWAY_HTTP,
          resetKeys: true,
          logEvent: false,
        }),
      )
      .use(publishMetrics(metrics)) as unknown as ApiHandler
  );
}
