import type { HealthCheckFn, HealthCheckOptions } from './types.js';

export interface RegisteredCheck {
  readonly name: string;
  readonly fn: HealthCheckFn;
  readonly options: HealthCheckOptions;
  readonly dependency: boolean;
}

export const checks = new Map<string, RegisteredCheck>();

let onChange: (() => void) | undefined;
export function setOnChecksChanged(fn: () => void): void {
  onChange = fn;
}

/**
 * Registers a named check; registering the same name again replaces it.
 * @example
 * registerHealthCheck('database', async () => {
 *   const started = Date.now();
 *   await db.query('select 1');
 *   return { measurement: 'responseTime', observedValue: Date.now() - started, observedUnit: 'ms' };
 * }, { componentType: 'datastore', timeoutMs: 1000, critical: true });
 */
export function registerHealthCheck(name: string, fn: HealthCheckFn, options: HealthCheckOptions = {}): void {
  if (typeof name !== 'string' || name === '' || typeof fn !== 'function') return;
  checks.set(name, { name, fn, options, dependency: false });
  onChange?.();
}

/** Removes a check. */
export function unregisterHealthCheck(name: string): void {
  checks.delete(name);
  onChange?.();
}

/**
 * Registers a downstream service, checked by GET when `includeDependencies` is on. A 2xx/3xx answer
 * passes (a health+json body's `warn`/`fail` is honoured); anything else fails. Non-critical by default.
 * @example
 * registerDependency('payments', 'http://payments.internal/health');
 */
export function registerDependency(name: string, url: string, options: HealthCheckOptions = {}): void {
  if (typeof name !== 'string' || name === '' || typeof url !== 'string') return;
  const fn: HealthCheckFn = async () => {
    const response = await fetch(url, { headers: { accept: 'application/health+json, application/json' } });
    const type = response.headers.get('content-type') ?? '';
    let status: 'pass' | 'warn' | 'fail' = response.status < 400 ? 'pass' : 'fail';
    if (type.includes('json')) {
      const body = (await response.json().catch(() => undefined)) as { status?: string } | undefined;
      if (status === 'pass' && (body?.status === 'warn' || body?.status === 'fail')) status = body.status;
    } else {
      await response.body?.cancel().catch(() => undefined);
    }
    return status === 'pass' ? undefined : { status, output: `${url} answered ${response.status}` };
  };
  checks.set(name, {
    name,
    fn,
    options: { critical: false, componentType: 'component', componentId: url, ...options },
    dependency: true,
  });
  onChange?.();
}
