import type { CanaryMetricSpec, Look } from './canary-model.js';
import { spendingBoundaries } from './stats/alpha-spending.js';

/**
 * The significance level a metric's p-value must reach at this look. A harmful direction of `increase` or
 * `decrease` is a one-sided test whose tail gets α/2 of the overall two-sided α (so a one-sided failure is as
 * hard to reach as one side of the two-sided test); `either` is two-sided at α. The level comes from the
 * O'Brien–Fleming-type spending boundaries over max(planned, index) looks: a canary extended past its planned
 * duration (too little data) re-lays the information fractions over the longer horizon.
 */
export interface LookBoundary {
  readonly level: number;
  readonly sides: 1 | 2;
  /** Nominal level at this look, and the one the final look would have. */
  readonly nominal: number;
  readonly finalNominal: number;
  readonly index: number;
  readonly planned: number;
  readonly alpha: number;
}

export function lookBoundary(direction: CanaryMetricSpec['direction'], look: Look, alpha: number): LookBoundary {
  const sides = direction === 'either' ? 2 : 1;
  const level = sides === 2 ? alpha : alpha / 2;
  const planned = Math.max(1, Math.floor(look.planned) || 1, Math.floor(look.index) || 1);
  const index = look.final ? planned : Math.min(Math.max(1, Math.floor(look.index) || 1), planned);
  const { nominal } = spendingBoundaries(planned, level, sides);
  return {
    level,
    sides,
    nominal: nominal[index - 1]!,
    finalNominal: nominal[planned - 1]!,
    index,
    planned,
    alpha,
  };
}
