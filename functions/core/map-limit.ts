import pLimit from 'p-limit';

/**
 * The one concurrency limiter (p-limit): runs `fn` over `items` with at most `concurrency` in flight and
 * returns the results in order. After a failure no new call is started; every call already started
 * settles before the first error is thrown, so a caller never returns while writes are still under way.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const limit = pLimit(Math.max(1, concurrency));
  let failure: { error: unknown } | undefined;
  const settled = await Promise.allSettled(
    items.map((item) =>
      limit(async () => {
        if (failure) return undefined as R;
        try {
          return await fn(item);
        } catch (error) {
          failure ??= { error };
          throw error;
        }
      }),
    ),
  );
  if (failure) throw failure.error;
  return settled.map((s) => (s as PromiseFulfilledResult<R>).value);
}
