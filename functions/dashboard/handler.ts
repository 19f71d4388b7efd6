import { MethodNotAllowedError, NotFoundError } from '../core/errors.js';
import type { FunctionEnv } from '../platform/config.js';
import { httpFunction } from '../platform/http-function.js';
import { lambdaHandler } from '../platform/lambda-handler.js';
import { routeMatcher } from '../platform/route-matcher.js';
import { type RuntimeOverrides, runtime } from '../platform/runtime.js';
import { ASSETS } from './assets/index.js';

const matcher = routeMatcher();

function asset(name: string) {
  const file = ASSETS[name];
  if (!file) throw new NotFoundError(`no dashboard file ${name}`);
  return {
    status: 200,
    text: file.body,
    headers: {
      'content-type': file.type,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      ...(name.endsWith('.html')
        ? {
            'content-security-policy':
              "default-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
          }
        : {}),
    },
  };
}

export function createHandler(env: FunctionEnv, overrides: RuntimeOverrides = {}) {
  const rt = runtime('dashboard', env, overrides);
  return httpFunction({
    name: 'dashboard',
    obs: rt.obs,
    maxBodyBytes: rt.settings.maxBodyBytes,
    routes: {
      'GET /': async () => asset('index.html'),
      'GET /ui/{file+}': async (req) => asset(req.params.file ?? ''),
      // API Gateway's $default route: requests that match nothing in the route table.
      $default: async (req) => {
        const allowed = matcher.allowedMethods(req.path);
        if (allowed.length > 0) {
          throw new MethodNotAllowedError(
            `${req.method} is not allowed on ${req.path}; allowed: ${allowed.join(', ')}`,
            allowed,
          );
        }
        throw new NotFoundError(`no route for ${req.method} ${req.path}`);
      },
    },
  });
}

export const handler = lambdaHandler(createHandler);
