import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';

/**
 * Group-sequential boundaries for judging a growing canary window again and again. Lan–DeMets' O'Brien–
 * Fleming-type spending function α(t) = 2 − 2Φ(z(1 − α/2) / √t) (per tail, for a tail's error α) says how much of the overall false-fail
 * rate α may be used up by information fraction t (= look / planned looks); at each look the boundary is the
 * one whose probability of being crossed for the first time there, with no true difference, is the newly
 * spent α(t_k) − α(t_{k−1}). So the chance of ever failing a good canary, over all looks, is α (not the
 * 1 − (1 − α)^K of judging each look as if it were the only one: about 19% for 10 looks at α = 5%, two-sided).
 *
 * The first-crossing probabilities are computed exactly for the score process S_k = Z_k·√t_k, a Brownian
 * motion with independent increments, by Armitage–McPherson–Rowe recursive numerical integration: the
 * density of the paths still inside the boundaries is carried from look to look on a grid (trapezoid rule,
 * GRID points between the boundaries) and convolved with the increment's normal density.
 */
const GRID = 600;
/** Lower edge of the grid for one-sided boundaries (in units of √t): beyond it the density is negligible. */
const FLOOR_SD = 10;

export interface Boundaries {
  /** Nominal significance level per look (1-based index − 1): fail when the look's p-value is at or below it. */
  readonly nominal: readonly number[];
  /** The boundary as a z value per look. */
  readonly z: readonly number[];
  /** Cumulative α spent by each look. */
  readonly spent: readonly number[];
}

/** α spent by information fraction t for overall level `level` (O'Brien–Fleming type). */
export function obrienFlemingSpent(t: number, level: number): number {
  if (t <= 0) return 0;
  if (t >= 1) return level;
  return 2 - 2 * normalCdf(normalQuantile(1 - level / 2, 0, 1) / Math.sqrt(t), 0, 1);
}

const cache = new Map<string, Boundaries>();

/**
 * Boundaries for `planned` equally spaced looks at overall level `level`, for a one-sided test (the harmful
 * direction only; `level` is then that tail's error) or a two-sided one (symmetric, `level` split between tails).
 */
export function spendingBoundaries(planned: number, level: number, sides: 1 | 2): Boundaries {
  const key = `${planned}|${level}|${sides}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const nominal: number[] = [];
  const zs: number[] = [];
  const spent: number[] = [];
  let grid: Float64Array | undefined; // score values s_i
  let density: Float64Array | undefined; // sub-density of paths not yet stopped, times the trapezoid weight
  // Two-sided: each tail spends level/2 by the one-sided function, as Lan and DeMets (and ldbounds, rpact) do.
  const spentBy = (t: number) => (sides === 2 ? 2 * obrienFlemingSpent(t, level / 2) : obrienFlemingSpent(t, level));
  let previousT = 0;
  for (let k = 1; k <= planned; k++) {
    const t = k / planned;
    const increment = spentBy(t) - spentBy(previousT);
    const sd = Math.sqrt(t - previousT);
    // P(first crossing here | boundary c on the score scale), from the carried density (or S_0 = 0).
    const crossing = (c: number): number => {
      const tail = (u: number) => normalCdf(-(c - u) / sd, 0, 1) + (sides === 2 ? normalCdf((-c - u) / sd, 0, 1) : 0);
      if (!grid || !density) return tail(0);
      let p = 0;
      for (let i = 0; i < grid.length; i++) p += density[i]! * tail(grid[i]!);
      return p;
    };
    const c = solveBoundary(crossing, increment, Math.sqrt(t));
    const z = c / Math.sqrt(t);
    zs.push(z);
    nominal.push(sides === 2 ? 2 * normalCdf(-z, 0, 1) : normalCdf(-z, 0, 1));
    spent.push(spentBy(t));
    // Carry the density of the paths that stayed inside (−c, c) or (−∞, c) to the next look.
    const low = sides === 2 ? -c : -FLOOR_SD * Math.sqrt(t);
    const nextGrid = new Float64Array(GRID + 1);
    const nextDensity = new Float64Array(GRID + 1);
    const h = (c - low) / GRID;
    for (let i = 0; i <= GRID; i++) {
      const s = low + i * h;
      nextGrid[i] = s;
      let f = 0;
      if (!grid || !density) f = normalPdf(s / sd) / sd;
      else for (let j = 0; j < grid.length; j++) f += density[j]! * (normalPdf((s - grid[j]!) / sd) / sd);
      nextDensity[i] = f * (i === 0 || i === GRID ? h / 2 : h);
    }
    grid = nextGrid;
    density = nextDensity;
    previousT = t;
  }
  const result = { nominal, z: zs, spent };
  cache.set(key, result);
  return result;
}

/** The boundary c (score scale) whose first-crossing probability is `target`, by bisection (crossing falls in c). */
function solveBoundary(crossing: (c: number) => number, target: number, scale: number): number {
  let lo = 0;
  let hi = 40 * scale;
  if (!(target > 0)) return hi;
  for (let iteration = 0; iteration < 60; iteration++) {
    const mid = (lo + hi) / 2;
    if (crossing(mid) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
/** Standard normal density; a one-liner kept local so the inner loop avoids a call through stdlib's checks. */
function normalPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}
