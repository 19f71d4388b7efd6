import { countDrop, DropReason, warnOnce } from './diagnostics.js';

/** Runs `fn`; an exception is counted and swallowed so it never reaches the host application. */
export function safely<T>(where: string, fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch (error) {
    reportInternalError(where, error);
    return fallback;
  }
}

/** Counts and reports (once per place) an SDK-internal failure. */
export function reportInternalError(where: string, error: unknown): void {
  countDrop('sdk', DropReason.internalError);
  warnOnce(
    `internal:${where}`,
    `internal error in ${where}: ${error instanceof Error ? error.message : String(error)}`,
  );
}

/** Like {@link safely} for promises: resolves to `fallback` instead of rejecting. */
export async function safelyAsync<T>(where: string, fn: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    reportInternalError(where, error);
    return fallback;
  }
}
