import { performance } from 'node:perf_hooks';

const origin = performance.timeOrigin;

/** Wall-clock milliseconds with sub-millisecond precision, monotonic within the process. */
export function nowMs(): number {
  return origin + performance.now();
}

/** A `performance.now()` reading as epoch milliseconds (the clock spans and access logs share). */
export function epochMs(performanceNow: number): number {
  return origin + performanceNow;
}
