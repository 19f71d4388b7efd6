/**
 * A decision a person sees (a notification held, an alert inhibited, a check failed, a verdict) carries a
 * named code that grouping, the API and the dashboard key on, and a sentence that says why.
 */
export interface Reason {
  /** kebab-case, stable: `silenced`, `throttled`, `http-status`, `p95-regression`, … */
  readonly code: string;
  /** One sentence for a person. */
  readonly message: string;
}

export const reason = (code: string, message: string): Reason => ({ code, message });
