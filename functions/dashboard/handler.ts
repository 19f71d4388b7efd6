import { MethodNotAllowedError, NotFoundError } from '../core/errors.js';
import type { FunctionEnv } from '../platform/config.js';
import { httpFunction } from '../platform/http-function.js';
import { lambdaHandler } from '../platform/lambda-handler.js';
import { routeMatcher } from '../platform/route-matcher.js';
import { type RuntimeOverrides, runtime } from '../platform/runtime.js';
import { ASSETS } from './assets/bundle.generated.js';
import { serveAsset } from './serve-asset.js';

const matcher = routeMatcher();

const asset = (name: string) => serveAsset(ASSETS, name);

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
