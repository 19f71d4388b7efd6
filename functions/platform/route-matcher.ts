import FindMyWay from 'find-my-way';
import { HTTP_METHODS, type HttpMethod, ROUTES, type Route } from '../catalog/routes.js';

/**
 * Matches a method and path against the route table the way API Gateway does (`{id}` for one segment,
 * `{name+}` for the rest of the path). Used by the local gateway and by the fallback route to tell a 404
 * from a 405.
 */
export interface RouteMatch {
  readonly route: Route;
  readonly params: Record<string, string>;
}

export interface RouteMatcher {
  match(method: string, path: string): RouteMatch | undefined;
  allowedMethods(path: string): HttpMethod[];
}

const greedy = /\{(\w+)\+\}/;

function toFindMyWay(path: string): string {
  return path.replace(greedy, '*').replace(/\{(\w+)\}/g, ':$1');
}

export function routeMatcher(routes: readonly Route[] = ROUTES): RouteMatcher {
  const router = FindMyWay({ maxParamLength: 512 });
  for (const route of routes) {
    const greedyName = route.path.match(greedy)?.[1];
    router.on(route.method, toFindMyWay(route.path), () => undefined, { route, greedyName });
  }
  const find = (method: string, path: string): RouteMatch | undefined => {
    if (!(HTTP_METHODS as readonly string[]).includes(method)) return undefined;
    const found = router.find(method as HttpMethod, path);
    if (!found) return undefined;
    const store = found.store as { route: Route; greedyName?: string };
    const params: Record<string, string> = {};
    for (const [k, val] of Object.entries(found.params)) {
      if (val === undefined) continue;
      params[k === '*' && store.greedyName ? store.greedyName : k] = val;
    }
    return { route: store.route, params };
  };
  return {
    match: find,
    allowedMethods: (path) => HTTP_METHODS.filter((m) => find(m, path) !== undefined),
  };
}
