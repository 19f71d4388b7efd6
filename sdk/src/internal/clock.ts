import { performance } from 'node:perf_hooks';

const origin = performance.timeOrigin;

/** Wall-clock milliseconds with sub-millisecond precision, monotonic within the process. */
export function nowMs(): number {
  return origin + performance.now();
}
