import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Env, EnvVar, envBool, envNumber, inRange, pick, processEnv } from '../config/env.js';
import { getResource } from '../config/resource.js';
import { safelyAsync } from '../internal/safe.js';
import { checks, setOnChecksChanged } from './registry.js';
import { runChecks } from './run-checks.js';
import type { HealthReport } from './types.js';

export interface HealthOptions {
  /** Also check the URLs given to `registerDependency`. @default VIGIL_HEALTH_INCLUDE_DEPENDENCIES, else false */
  readonly includeDependencies?: boolean;
  /** Seconds a result is reused (0 = run checks on every request). @default VIGIL_HEALTH_CACHE_TTL, else 10 */
  readonly cacheTtl?: number;
}

export interface ResolvedHealthSettings {
  readonly includeDependencies: boolean;
  readonly cacheTtl: number;
}

export function resolveHealthSettings(options: HealthOptions, env: Env): ResolvedHealthSettings {
  return {
    includeDependencies: pick(options.includeDependencies, envBool(env, EnvVar.healthIncludeDependencies), false),
    cacheTtl: pick(
      inRange('cacheTtl', options.cacheTtl, 0, 86_400),
      inRange(EnvVar.healthCacheTtl, envNumber(env, EnvVar.healthCacheTtl), 0, 86_400),
      10,
    ),
  };
}

let settings: ResolvedHealthSettings = resolveHealthSettings({}, processEnv());
let cached: { report: HealthReport; at: number } | undefined;
let inFlight: Promise<HealthReport> | undefined;
let clock: () => number = Date.now;

setOnChecksChanged(() => {
  cached = undefined;
});

/**
 * Configures health checks. Never throws.
 * @example
 * configureHealthChecks({ includeDependencies: true, cacheTtl: 60 });
 */
export function configureHealthChecks(options: HealthOptions = {}, env: Env = processEnv()): ResolvedHealthSettings {
  settings = resolveHealthSettings(options, env);
  cached = undefined;
  return settings;
}

/** Pins the clock (tests). */
export function setHealthClock(now: () => number): void {
  clock = now;
  cached = undefined;
}

/**
 * Runs the registered checks (or returns the cached report within `cacheTtl`); concurrent callers
 * share one run. Never rejects.
 * @example
 * const report = await checkHealth();
 * if (report.status === 'fail') …
 */
export function checkHealth(): Promise<HealthReport> {
  const now = clock();
  if (cached && now - cached.at < settings.cacheTtl * 1000) return Promise.resolve(cached.report);
  if (inFlight) return inFlight;
  const resource = getResource();
  const list = [...checks.values()].filter((c) => settings.includeDependencies || !c.dependency);
  const identity = { serviceId: resource.serviceName, ...(resource.version ? { releaseId: resource.version } : {}) };
  const fallback: HealthReport = {
    status: 'fail',
    serviceId: identity.serviceId,
    description: 'health check failed',
    checks: {},
  };
  inFlight = safelyAsync('health', () => runChecks(list, identity, clock), fallback).then((report) => {
    cached = { report, at: clock() };
    inFlight = undefined;
    return report;
  });
  return inFlight;
}

export const HEALTH_CONTENT_TYPE = 'application/health+json';

/** 200 for pass and warn, 503 for fail. */
export function healthStatusCode(report: HealthReport): number {
  return report.status === 'fail' ? 503 : 200;
}

/**
 * A Node `http` handler (also an Express handler) answering application/health+json.
 * @example
 * app.get('/health', healthHandler);
 */
export function healthHandler(_req: IncomingMessage, res: ServerResponse): void {
  void checkHealth().then((report) => {
    if (res.headersSent) return;
    res
      .writeHead(healthStatusCode(report), { 'content-type': HEALTH_CONTENT_TYPE, 'cache-control': 'no-cache' })
      .end(JSON.stringify(report));
  });
}
