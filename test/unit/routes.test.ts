import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../functions/catalog/functions.js';
import { ROUTES, routeKey } from '../../functions/catalog/routes.js';
import { routeMatcher } from '../../functions/platform/route-matcher.js';

describe('route table', () => {
  it('requires a scope on every route but Vigil health and the dashboard files', () => {
    const open = ROUTES.filter((r) => r.scope === null).map(routeKey);
    expect(open.sort()).toEqual(['GET /', 'GET /health', 'GET /ui/{file+}']);
    for (const r of open) expect(r.startsWith('GET ')).toBe(true);
  });

  it('routes only to functions that exist, and never twice to one key', () => {
    const keys = ROUTES.map(routeKey);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of ROUTES) expect(Object.keys(FUNCTIONS)).toContain(r.fn);
  });
});

describe('route matcher', () => {
  const m = routeMatcher();

  it.each([
    ['GET', '/health', 'GET /health', {}],
    ['DELETE', '/v1/tokens/abc123', 'DELETE /v1/tokens/{id}', { id: 'abc123' }],
    ['GET', '/ui/app.js', 'GET /ui/{file+}', { file: 'app.js' }],
    ['GET', '/ui/a/b.css', 'GET /ui/{file+}', { file: 'a/b.css' }],
  ])('%s %s → %s', (method, path, key, params) => {
    const found = m.match(method, path);
    expect(found && routeKey(found.route)).toBe(key);
    expect(found?.params).toEqual(params);
  });

  it('matches nothing for unknown paths and methods, and lists the allowed methods of a known path', () => {
    expect(m.match('GET', '/nope')).toBeUndefined();
    expect(m.match('PUT', '/v1/tokens')).toBeUndefined();
    expect(m.match('BREW', '/health')).toBeUndefined();
    expect(m.allowedMethods('/v1/tokens')).toEqual(['GET', 'POST']);
    expect(m.allowedMethods('/nope')).toEqual([]);
  });
});
