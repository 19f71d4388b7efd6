import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { FunctionName } from '../../functions/catalog/functions.js';
import { DEFAULT_ROUTE_FN, routeKey } from '../../functions/catalog/routes.js';
import { PayloadTooLargeError } from '../../functions/core/errors.js';
import { API_HEADERS, problemResponse } from '../../functions/platform/problem.js';
import type { RouteMatcher } from '../../functions/platform/route-matcher.js';
import { lambdaContext } from './lambda-context.js';

/**
 * Local mode's API Gateway: turns each HTTP request into an API Gateway v2 (HTTP API) event, invokes the
 * same handler that runs in AWS, and writes its answer back. It translates; it decides nothing.
 */
export type LambdaHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export interface GatewayOptions {
  readonly matcher: RouteMatcher;
  readonly handler: (fn: FunctionName) => LambdaHandler;
  /** API Gateway's own payload limit. @default 10 MiB */
  readonly maxPayloadBytes?: number;
  readonly onError?: (error: unknown) => void;
  /** One line per answered request (`GET /v1/targets 200 12 ms`). */
  readonly onAnswer?: (line: string) => void;
}

/**
 * The request target as a URL. A path such as `//x` is not a URL reference on its own (it would be read
 * as a host), so origin-form targets are joined to the origin as text.
 */
export function requestUrl(target: string | undefined): URL {
  const t = target ?? '/';
  return new URL(t.startsWith('/') ? `http://localhost${t}` : t);
}

const TEXTUAL = /^(text\/|application\/(json|[\w.+-]+\+json|xml|x-www-form-urlencoded|javascript))/i;

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new PayloadTooLargeError(`request body exceeds API Gateway's ${limit} byte limit`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** What the translation reads of a request: an `IncomingMessage`, or a plain object for in-process calls. */
export interface RequestHead {
  readonly url?: string | undefined;
  readonly method?: string | undefined;
  readonly headers: IncomingMessage['headers'];
  readonly httpVersion?: string;
  readonly socket?: { readonly remoteAddress?: string | undefined };
}

export function toEvent(
  req: RequestHead,
  body: Buffer,
  key: string,
  params: Record<string, string>,
): APIGatewayProxyEventV2 {
  const url = requestUrl(req.url);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name === 'cookie') continue;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const contentType = headers['content-type'] ?? '';
  const encoded = (headers['content-encoding'] ?? 'identity').toLowerCase() !== 'identity';
  const textual = body.length === 0 || (TEXTUAL.test(contentType) && !encoded);
  const now = Date.now();
  const method = req.method ?? 'GET';
  return {
    version: '2.0',
    routeKey: key,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(req.headers.cookie ? { cookies: req.headers.cookie.split(/;\s*/) } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(params).length ? { pathParameters: params } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion ?? '1.1'}`,
        sourceIp: req.socket?.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: key,
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    ...(body.length ? { body: body.toString(textual ? 'utf8' : 'base64') } : {}),
    isBase64Encoded: !textual,
  };
}

function send(res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: Record<string, string | number | boolean | string[]> = { ...(result.headers ?? {}) };
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  const body = result.body ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
  headers['content-length'] = body.length;
  res.writeHead(result.statusCode ?? 200, headers as Record<string, string>);
  res.end(body);
}

/** An answer and what the console line says about it. */
export interface GatewayAnswer {
  readonly result: APIGatewayProxyStructuredResultV2;
  readonly requestId: string;
}

/**
 * The gateway's whole job for one request, without a socket: match the route, build the event, invoke the
 * function, and answer problem+json (with a request id) for what the gateway refuses or what fails. The
 * HTTP server below and in-process callers (the property tests) share it.
 */
export function gatewayDispatcher(
  options: GatewayOptions,
): (req: RequestHead, body: Buffer | (() => Promise<Buffer>)) => Promise<GatewayAnswer> {
  const limit = options.maxPayloadBytes ?? 10 * 1024 * 1024;
  return async (req, body) => {
    const method = req.method ?? 'GET';
    // API Gateway gives every answer a request id, its own errors included.
    let requestId: string = randomUUID();
    let path = req.url ?? '/';
    try {
      path = requestUrl(req.url).pathname;
      const bytes = typeof body === 'function' ? await body() : body;
      if (bytes.length > limit)
        throw new PayloadTooLargeError(`request body exceeds API Gateway's ${limit} byte limit`);
      const match = options.matcher.match(method, path);
      const key = match ? routeKey(match.route) : '$default';
      const fn = match ? match.route.fn : DEFAULT_ROUTE_FN;
      const handler = options.handler(fn);
      const event = toEvent(req, bytes, key, match?.params ?? {});
      requestId = event.requestContext.requestId;
      return { result: await handler(event, lambdaContext(fn, 30, requestId)), requestId };
    } catch (error) {
      options.onError?.(error);
      const answer = problemResponse(error, path, requestId);
      return { result: { ...answer, headers: { ...answer.headers, ...API_HEADERS } }, requestId };
    }
  };
}

export function createGateway(options: GatewayOptions): Server {
  const limit = options.maxPayloadBytes ?? 10 * 1024 * 1024;
  const dispatch = gatewayDispatcher(options);
  return createServer((req, res) => {
    void (async () => {
      const started = performance.now();
      let status = 500;
      try {
        const { result } = await dispatch(req, () => readBody(req, limit));
        status = result.statusCode ?? 200;
        send(res, result);
      } catch (error) {
        // Only writing the answer can fail here (the client went away).
        options.onError?.(error);
        if (!res.headersSent) res.destroy();
      } finally {
        let path = req.url ?? '/';
        try {
          path = requestUrl(req.url).pathname;
        } catch {
          // the raw target is printed as sent
        }
        options.onAnswer?.(`${req.method ?? 'GET'} ${path} ${status} ${Math.round(performance.now() - started)} ms`);
      }
    })();
  });
}
