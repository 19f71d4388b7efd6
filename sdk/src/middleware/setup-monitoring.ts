import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyConnectionOptions } from '../config/resource.js';
import { checkHealth, HEALTH_CONTENT_TYPE, healthHandler, healthStatusCode } from '../health/configure.js';
import { warnOnce } from '../internal/diagnostics.js';
import { reportInternalError } from '../internal/safe.js';
import { metricsHandler, PROMETHEUS_CONTENT_TYPE, renderPrometheus } from '../metrics/backends/prometheus.js';
import { metricsBackendName } from '../metrics/configure.js';
import { type ExpressLikeHandler, expressMiddleware, wrapExpressHandle } from './express.js';
import { type FastifyLikeInstance, instrumentFastify } from './fastify.js';
import { type MonitoringOptions, resolveMonitoringOptions } from './options.js';

interface ExpressLikeApp {
  handle?: unknown;
  use(handler: ExpressLikeHandler): unknown;
  get(path: string, handler: (req: IncomingMessage, res: ServerResponse) => void): unknown;
}

function isFastify(app: unknown): app is FastifyLikeInstance {
  const a = app as Record<string, unknown>;
  return typeof a.addHook === 'function' && typeof a.decorateRequest === 'function';
}

function isExpress(app: unknown): app is ExpressLikeApp {
  const a = app as Record<string, unknown>;
  return typeof a.use === 'function' && typeof a.get === 'function';
}

/**
 * Instruments an Express or Fastify app: HTTP metrics (`http.server.requests`, `http.server.duration`
 * by method, route template and status class), an access log line, a server span continuing the
 * incoming `traceparent`, `/health` (application/health+json) and, with the prometheus backend,
 * `/metrics`. Call it before defining routes. Never throws.
 * @example
 * const app = express();
 * setupMonitoring(app, { serviceName: 'checkout' });
 * app.get('/cart/:id', handler);
 */
export function setupMonitoring(app: unknown, options: MonitoringOptions = {}): void {
  try {
    applyConnectionOptions(options);
    const resolved = resolveMonitoringOptions(options);
    const metricsPath = metricsBackendName() === 'prometheus' ? resolved.metricsPath : false;
    if (isFastify(app)) {
      instrumentFastify(app, resolved);
      if (resolved.healthPath !== false) {
        app.get(resolved.healthPath, async (_req, reply) => {
          const report = await checkHealth();
          return reply
            .code(healthStatusCode(report))
            .header('content-type', HEALTH_CONTENT_TYPE)
            .send(JSON.stringify(report));
        });
      }
      if (metricsPath !== false) {
        app.get(metricsPath, async (_req, reply) =>
          reply.code(200).header('content-type', PROMETHEUS_CONTENT_TYPE).send(renderPrometheus()),
        );
      }
      return;
    }
    if (isExpress(app)) {
      const builtIn = {
        healthPath: resolved.healthPath,
        metricsPath,
        health: healthHandler,
        metrics: metricsHandler,
      };
      if (wrapExpressHandle(app, resolved, builtIn)) return;
      app.use(expressMiddleware(resolved));
      if (resolved.healthPath !== false) app.get(resolved.healthPath, healthHandler);
      if (metricsPath !== false) app.get(metricsPath, metricsHandler);
      return;
    }
    warnOnce('setup-unknown-app', 'setupMonitoring: not an Express or Fastify app; nothing instrumented');
  } catch (error) {
    reportInternalError('setupMonitoring', error);
  }
}
