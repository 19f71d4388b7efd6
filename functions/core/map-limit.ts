import pLimit from 'p-limit';

/**
 * The one concurrency limiter (p-limit): runs `fn` over `items` with at most `concurrency` in flight and
 * returns the results in order. Every fan-out (series reads, writes, per-service queries) goes through it.
 */
export function mapLimit<T, R>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const limit = pLimit(Math.max(1, concurrency));
  return Promise.all(items.map((item) => limit(() => fn(item))));
}
