import { performance } from 'node:perf_hooks';
import type { RegisteredCheck } from './registry.js';
import type { HealthCheckEntry, HealthReport, HealthStatus } from './types.js';

const RANK: Readonly<Record<HealthStatus, number>> = { pass: 0, warn: 1, fail: 2 };

function worst(a: HealthStatus, b: HealthStatus): HealthStatus {
  return RANK[a] >= RANK[b] ? a : b;
}

/** Runs one check with its timeout; never rejects. */
export async function runCheck(
  check: RegisteredCheck,
  now: () => number,
): Promise<{ key: string; entry: HealthCheckEntry; critical: boolean }> {
  const timeoutMs = check.options.timeoutMs ?? 2000;
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const base = {
    componentType: check.options.componentType ?? 'component',
    ...(check.options.componentId ? { componentId: check.options.componentId } : {}),
  };
  const critical = check.options.critical ?? true;
  // A failed check reports how long it ran before failing (responseTime, ms) and why.
  const failed = (output: string) => ({
    key: `${check.name}:responseTime`,
    critical,
    entry: {
      ...base,
      observedValue: Math.round((performance.now() - started) * 100) / 100,
      observedUnit: 'ms',
      status: 'fail' as const,
      time: new Date(now()).toISOString(),
      output,
    },
  });
  try {
    const result = await Promise.race([
      Promise.resolve().then(check.fn),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs}ms`)), timeoutMs);
        timer.unref();
      }),
    ]);
    const elapsed = Math.round((performance.now() - started) * 100) / 100;
    const time = new Date(now()).toISOString();
    if (result === false) return failed('check returned false');
    if (result === undefined || result === true || result === null || typeof result !== 'object') {
      return {
        key: `${check.name}:responseTime`,
        critical,
        entry: { ...base, observedValue: elapsed, observedUnit: 'ms', status: 'pass', time },
      };
    }
    const status: HealthStatus = result.status === 'warn' || result.status === 'fail' ? result.status : 'pass';
    const hasValue = result.observedValue !== undefined;
    const measurement = result.measurement ?? 'responseTime';
    const entry: HealthCheckEntry = {
      ...base,
      observedValue: hasValue ? result.observedValue : elapsed,
      ...(hasValue ? (result.observedUnit ? { observedUnit: result.observedUnit } : {}) : { observedUnit: 'ms' }),
      status,
      time,
      ...(status !== 'pass' && result.output ? { output: String(result.output) } : {}),
    };
    return { key: `${check.name}:${measurement}`, critical, entry };
  } catch (error) {
    return failed(error instanceof Error ? error.message : String(error));
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/**
 * Runs checks in parallel and aggregates: a failing critical check fails the service, a failing
 * non-critical check or any `warn` makes it warn.
 */
export async function runChecks(
  list: readonly RegisteredCheck[],
  identity: { serviceId: string; releaseId?: string },
  now: () => number,
): Promise<HealthReport> {
  const results = await Promise.all(list.map((c) => runCheck(c, now)));
  let status: HealthStatus = 'pass';
  const out: Record<string, HealthCheckEntry[]> = {};
  for (const { key, entry, critical } of results) {
    const list = out[key] ?? [];
    list.push(entry);
    out[key] = list;
    const effective: HealthStatus = entry.status === 'fail' && !critical ? 'warn' : entry.status;
    status = worst(status, effective);
  }
  return {
    status,
    serviceId: identity.serviceId,
    ...(identity.releaseId ? { releaseId: identity.releaseId } : {}),
    description: `health of ${identity.serviceId}`,
    checks: out,
  };
}
