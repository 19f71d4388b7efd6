import type { FunctionName } from './functions.js';

/**
 * The HTTP route table, used by the CDK HTTP API and by the local gateway alike. Paths use API Gateway's
 * syntax (`{id}`, `{proxy+}`). `scope: null` marks the only public routes: Vigil's own health and the
 * dashboard's static files (the dashboard asks for a token itself).
 */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** The token scopes a route can require (`functions/core/scopes.ts` checks it is the same list). */
export type RouteScope = 'admin' | 'write' | 'read' | 'ingest' | 'verify';

export interface Route {
  readonly method: HttpMethod;
  readonly path: string;
  readonly fn: FunctionName;
  readonly scope: RouteScope | null;
}

export const ROUTES = [
  { method: 'GET', path: '/health', fn: 'health', scope: null },
  { method: 'GET', path: '/', fn: 'dashboard', scope: null },
  { method: 'GET', path: '/ui/{file+}', fn: 'dashboard', scope: null },

  { method: 'POST', path: '/v1/tokens', fn: 'tokens', scope: 'admin' },
  { method: 'GET', path: '/v1/tokens', fn: 'tokens', scope: 'admin' },
  { method: 'DELETE', path: '/v1/tokens/{id}', fn: 'tokens', scope: 'admin' },

  { method: 'GET', path: '/v1/notifications', fn: 'notifications', scope: 'read' },

  { method: 'PUT', path: '/v1/targets/{id}', fn: 'targets', scope: 'write' },
  { method: 'GET', path: '/v1/targets', fn: 'targets', scope: 'read' },
  { method: 'GET', path: '/v1/targets/{id}', fn: 'targets', scope: 'read' },
  { method: 'DELETE', path: '/v1/targets/{id}', fn: 'targets', scope: 'write' },
  { method: 'GET', path: '/v1/targets/{id}/history', fn: 'targets', scope: 'read' },
  { method: 'GET', path: '/v1/target-events', fn: 'targets', scope: 'read' },

  { method: 'POST', path: '/v1/ingest', fn: 'ingest', scope: 'ingest' },
  { method: 'POST', path: '/v1/metrics', fn: 'ingest', scope: 'ingest' },
  { method: 'POST', path: '/v1/traces', fn: 'ingest', scope: 'ingest' },
  { method: 'POST', path: '/v1/logs', fn: 'ingest', scope: 'ingest' },
  { method: 'GET', path: '/v1/metrics/query', fn: 'query', scope: 'read' },
  { method: 'GET', path: '/v1/logs', fn: 'query', scope: 'read' },
  { method: 'GET', path: '/v1/traces', fn: 'query', scope: 'read' },
  { method: 'GET', path: '/v1/traces/{traceId}', fn: 'query', scope: 'read' },
  { method: 'GET', path: '/v1/errors', fn: 'query', scope: 'read' },
  { method: 'GET', path: '/v1/services', fn: 'query', scope: 'read' },
  { method: 'GET', path: '/v1/dependencies', fn: 'query', scope: 'read' },
  { method: 'GET', path: '/v1/services/{service}/refused', fn: 'query', scope: 'read' },

  { method: 'PUT', path: '/v1/rules/{id}', fn: 'rules', scope: 'write' },
  { method: 'GET', path: '/v1/rules', fn: 'rules', scope: 'read' },
  { method: 'GET', path: '/v1/rules/{id}', fn: 'rules', scope: 'read' },
  { method: 'DELETE', path: '/v1/rules/{id}', fn: 'rules', scope: 'write' },
  { method: 'GET', path: '/v1/slos/{ruleId}', fn: 'rules', scope: 'read' },

  { method: 'GET', path: '/v1/alerts', fn: 'alerts', scope: 'read' },
  { method: 'GET', path: '/v1/alerts/{id}', fn: 'alerts', scope: 'read' },
  { method: 'POST', path: '/v1/alerts/{id}/ack', fn: 'alerts', scope: 'write' },
  { method: 'POST', path: '/v1/alerts/{id}/unack', fn: 'alerts', scope: 'write' },
  { method: 'POST', path: '/v1/alerts/{id}/resolve', fn: 'alerts', scope: 'write' },
  { method: 'POST', path: '/v1/silences', fn: 'alerts', scope: 'write' },
  { method: 'GET', path: '/v1/silences', fn: 'alerts', scope: 'read' },
  { method: 'DELETE', path: '/v1/silences/{id}', fn: 'alerts', scope: 'write' },

  { method: 'POST', path: '/v1/verifications', fn: 'verify', scope: 'verify' },
  { method: 'GET', path: '/v1/verifications', fn: 'verify', scope: 'verify' },
  { method: 'GET', path: '/v1/verifications/{id}', fn: 'verify', scope: 'verify' },
  { method: 'POST', path: '/v1/verifications/{id}/abort', fn: 'verify', scope: 'verify' },
] as const satisfies readonly Route[];

type Declared = (typeof ROUTES)[number];

/** The route keys (`GET /v1/targets/{id}`) of one function, checked at compile time by `httpFunction`. */
export type RouteKeyOf<F extends FunctionName> = Declared extends infer R
  ? R extends { readonly method: infer M extends string; readonly path: infer P extends string; readonly fn: F }
    ? `${M} ${P}`
    : never
  : never;

/** Requests that match no route go here (API Gateway's `$default` route). */
export const DEFAULT_ROUTE_FN: FunctionName = 'dashboard';

export function routeKey(route: Pick<Route, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

const byKey = new Map<string, Route>(ROUTES.map((r) => [routeKey(r), r]));

export function findRoute(key: string): Route | undefined {
  return byKey.get(key);
}

export function routesOf(fn: FunctionName): Route[] {
  return ROUTES.filter((r) => r.fn === fn);
}
