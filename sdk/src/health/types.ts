export type HealthStatus = 'pass' | 'warn' | 'fail';

/** What a check function may return: nothing/true (pass), false (fail), or details. */
export type HealthCheckResult =
  | undefined
  | boolean
  | {
      readonly status?: HealthStatus;
      /** Key suffix in `checks` (`component:measurement`). @default 'responseTime' (observedValue = duration in ms) */
      readonly measurement?: string;
      readonly observedValue?: unknown;
      readonly observedUnit?: string;
      readonly output?: string;
    };

// biome-ignore lint/suspicious/noConfusingVoidType: lets `async () => { await ping(); }` be a check
export type HealthCheckFn = () => HealthCheckResult | void | Promise<HealthCheckResult | void>;

export interface HealthCheckOptions {
  /** A check slower than this fails with "timed out". @default 2000 */
  readonly timeoutMs?: number;
  /** A failing critical check fails the service (503); a non-critical one only warns (200). @default true */
  readonly critical?: boolean;
  /** `componentType` in the response (`datastore`, `component`, `system`…). @default 'component' */
  readonly componentType?: string;
  readonly componentId?: string;
}

/** One entry of `checks[...]` in application/health+json. */
export interface HealthCheckEntry {
  componentId?: string;
  componentType: string;
  observedValue?: unknown;
  observedUnit?: string;
  status: HealthStatus;
  time: string;
  output?: string;
}

/** An application/health+json body (draft-inadarei-api-health-check). */
export interface HealthReport {
  status: HealthStatus;
  serviceId: string;
  releaseId?: string;
  description: string;
  checks: Record<string, HealthCheckEntry[]>;
}
