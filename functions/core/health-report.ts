/**
 * Health reports in the shape of draft-inadarei-api-health-check (`application/health+json`).
 */
export const HEALTH_STATUSES = ['pass', 'warn', 'fail'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

export interface HealthCheckResult {
  readonly componentId?: string;
  readonly componentType?: string;
  readonly observedValue?: number | string | boolean;
  readonly observedUnit?: string;
  readonly status: HealthStatus;
  readonly time: string;
  readonly output?: string;
}

export interface HealthReport {
  readonly status: HealthStatus;
  readonly version?: string;
  readonly serviceId: string;
  readonly description: string;
  readonly checks: Record<string, HealthCheckResult[]>;
}

const rank: Record<HealthStatus, number> = { pass: 0, warn: 1, fail: 2 };

export function worstStatus(statuses: Iterable<HealthStatus>): HealthStatus {
  let worst: HealthStatus = 'pass';
  for (const s of statuses) if (rank[s] > rank[worst]) worst = s;
  return worst;
}

export function healthReport(
  base: Omit<HealthReport, 'status' | 'checks'>,
  checks: Record<string, HealthCheckResult[]>,
): HealthReport {
  const status = worstStatus(Object.values(checks).flatMap((list) => list.map((c) => c.status)));
  return { status, ...base, checks };
}

export function healthHttpStatus(status: HealthStatus): number {
  return status === 'fail' ? 503 : 200;
}
