import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { lambdaContext } from '../../lib/local/lambda-context.js';

/** Invokes an HTTP handler in-process with an API Gateway v2 event, as the local gateway does. */
export type ApiHandler = (
  event: APIGatewayProxyEventV2,
  context: ReturnType<typeof lambdaContext>,
) => Promise<APIGatewayProxyStructuredResultV2>;

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Record<string, unknown>;
}

export async function invoke(
  handler: ApiHandler,
  route: string,
  options: {
    token: string;
    json: unknown;
    headers?: Record<string, string>;
    timeoutSeconds?: number;
    /** Path with query string, for GET routes. */
    path?: string;
  },
): Promise<Answer> {
  const [method, routePath] = route.split(' ') as [string, string];
  const url = new URL(options.path ?? routePath, 'http://local');
  const path = url.pathname;
  const query = Object.fromEntries(url.searchParams);
  const requestId = randomUUID();
  const event = {
    version: '2.0',
    routeKey: route,
    rawPath: path,
    rawQueryString: url.search.slice(1),
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    headers: {
      authorization: `Bearer ${options.token}`,
      'content-type': 'application/json',
      ...options.headers,
    },
    requestContext: { requestId, http: { method, path }, routeKey: route, timeEpoch: Date.now() },
    ...(options.json === undefined ? {} : { body: JSON.stringify(options.json) }),
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
  const result = await handler(event, lambdaContext('ingest', options.timeoutSeconds ?? 30, requestId));
  return {
    status: result.statusCode ?? 200,
    headers: (result.headers ?? {}) as Record<string, string>,
    body: result.body ? (JSON.parse(result.body) as Record<string, unknown>) : {},
  };
}
