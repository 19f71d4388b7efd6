/**
 * Statuses worth retrying: throttling, timeouts and server errors, and 409, which Vigil answers when the same
 * batch (the same Idempotency-Key) is still being stored, e.g. after this client timed out waiting for it: a retry
 * then gets the stored answer. Other 400-level client errors are not.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status === 409 || status >= 500;
}

/**
 * `Retry-After` as milliseconds from `now`: either delta-seconds or an HTTP date.
 * Undefined when absent or unparseable.
 */
export function parseRetryAfter(header: string | null | undefined, now: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const trimmed = header.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Exponential backoff with full jitter: uniform in [0, min(max, initial·2^attempt)]. */
export function backoffDelay(
  attempt: number,
  initialMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/** The server's `Retry-After` wins (capped at `capMs`); otherwise jittered backoff. */
export function retryDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  initialMs: number,
  maxMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, capMs);
  return backoffDelay(attempt, initialMs, maxMs, random);
}
