/** Overview order: the service most in need of a look comes first. */
export type Health = 'down' | 'degraded' | 'unknown' | 'up' | 'none';

export interface ServiceRow {
  readonly service: string;
  readonly health: Health;
  readonly firing: number;
  readonly errorRate: number | null;
}

const HEALTH_RANK: Record<Health, number> = { down: 0, degraded: 1, unknown: 2, none: 3, up: 4 };

export function worstFirst<T extends ServiceRow>(rows: readonly T[]): T[] {
  return [...rows].sort(
    (a, b) =>
      b.firing - a.firing ||
      HEALTH_RANK[a.health] - HEALTH_RANK[b.health] ||
      (b.errorRate ?? 0) - (a.errorRate ?? 0) ||
      a.service.localeCompare(b.service),
  );
}

/** A service's health is its worst target's status; no target is `none`. */
export function worstHealth(statuses: readonly string[]): Health {
  if (statuses.length === 0) return 'none';
  const known = statuses.map((s) => (s in HEALTH_RANK ? (s as Health) : 'unknown'));
  return known.reduce((worst, s) => (HEALTH_RANK[s] < HEALTH_RANK[worst] ? s : worst), 'up' as Health);
}
